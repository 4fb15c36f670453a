# Demo/production image: `docker build -t spbe . && docker run -p 8000:8000 -v spbe-data:/data spbe`
# Stage 1 builds the wheel (it carries rubric/, web/ and migrations/); stage 2 installs only that wheel.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY spbe ./spbe
COPY rubric ./rubric
COPY web ./web
COPY migrations ./migrations
RUN pip wheel --no-deps -w /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SPBE_DATA_DIR=/data
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl \
 && rm -rf /wheels \
 && useradd --create-home --uid 1000 spbe \
 && mkdir -p /data && chown spbe:spbe /data

USER spbe
WORKDIR /home/spbe
VOLUME ["/data"]
EXPOSE 8000
CMD ["sh", "-c", "spbe db upgrade && exec spbe serve --host 0.0.0.0 --port 8000"]
