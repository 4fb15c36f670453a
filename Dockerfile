# Demo/production image: `docker build -t spbe . && docker run -p 8000:8000 -v spbe-data:/data spbe`
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SPBE_DATA_DIR=/data

# The app finds rubric/, web/ and migrations/ relative to the repository root, so the source tree
# stays in /app and the package is installed editable from it (a plain `pip install .` would not work).
WORKDIR /app
COPY . .
RUN pip install -e . \
 && useradd --create-home --uid 1000 spbe \
 && mkdir -p /data && chown spbe:spbe /data

USER spbe
VOLUME ["/data"]
EXPOSE 8000
CMD ["sh", "-c", "spbe db upgrade && exec spbe serve --host 0.0.0.0 --port 8000"]
