"""Text responses are gzipped for clients that accept it; the CSRF token in them differs in every response."""

from __future__ import annotations

import gzip
import re

from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from spbe.web import csrf
from tests import evidence_files as samples
from tests.web.evidence_helpers import assessment_id, upload

GZIP = {"Accept-Encoding": "gzip"}


def raw_get(client, url: str, **headers: str):
    """GET without httpx decoding the body, so the bytes on the wire can be checked."""
    with client.stream("GET", url, headers=headers) as response:
        return response, b"".join(response.iter_raw())


def test_pages_scripts_styles_and_charts_are_gzipped(web_app, client_as):
    c = client_as("koordinator")
    a = assessment_id(web_app)
    for url, kind in [
        (f"/assessments/{a}?aspect=A7", "text/html"),
        ("/static/htmx.min.js", "javascript"),
        ("/static/app.css", "text/css"),
        (f"/assessments/{a}/charts/domains.svg", "svg"),
    ]:
        response, body = raw_get(c, url, **GZIP)
        assert response.status_code == 200, url
        assert kind in response.headers["content-type"]
        assert response.headers["content-encoding"] == "gzip", url
        assert "Accept-Encoding" in response.headers["vary"]
        plain = gzip.decompress(body)
        assert len(body) < len(plain) / 2, url  # text shrinks to well under half
        assert response.headers["x-content-type-options"] == "nosniff"  # security headers still on


def test_a_client_that_does_not_accept_gzip_gets_the_plain_page(client_as):
    c = client_as("koordinator")
    response, body = raw_get(c, "/", **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers
    assert b"</html>" in body


def test_evidence_files_and_packs_are_sent_as_they_are(web_app, client_as):
    c = client_as("koordinator")
    a = assessment_id(web_app)
    pdf = samples.pdf("Bukti " * 5000)
    stored = upload(c, a, "I01", pdf, levels=("1",))
    assert stored.status_code == 200, stored.text
    evidence = re.search(r"/evidence/(\d+)/download", stored.text).group(1)
    response, body = raw_get(c, f"/evidence/{evidence}/download", **GZIP)
    assert "content-encoding" not in response.headers and body == pdf
    assert response.headers["content-length"] == str(len(pdf))
    response, body = raw_get(c, f"/assessments/{a}/export/pack.zip", **GZIP)
    assert response.status_code == 200 and "content-encoding" not in response.headers
    assert int(response.headers["content-length"]) == len(body)


def tokens_in(html: str) -> set[str]:
    page = BeautifulSoup(html, "html.parser")
    return {i["value"] for i in page.select("input[name=csrf_token]")}


def test_every_response_masks_the_token_afresh_and_every_mask_is_accepted(web_app, client_as):
    c = client_as("koordinator")
    first, second = c.get("/"), c.get("/")
    one, other = tokens_in(first.text), tokens_in(second.text)
    assert len(one) == 1 and len(other) == 1 and one != other  # one mask per response, shared by its forms
    api = {c.get("/api/csrf").json()["csrf_token"] for _ in range(3)}
    assert len(api) == 3
    tokens = [*one, *other, *api]
    assert len({csrf.unmask(t) for t in tokens}) == 1  # the same session token under every mask
    for token in tokens:
        saved = c.post(
            f"/assessments/{assessment_id(web_app)}/indicators/I47",
            data={"value": "4"},
            headers={"HX-Request": "true", "X-CSRF-Token": token},
        )
        assert saved.status_code == 200, saved.text


def test_the_stored_token_itself_or_a_tampered_mask_is_refused(web_app):
    from tests.web.test_security import REFUSED, signed_in

    client, token = signed_in(web_app)
    stored = csrf.unmask(token).decode()
    url = f"/assessments/{assessment_id(web_app)}/indicators/I47"
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for sent in (stored, tampered, "", "%%%", token[:20]):
        refused = client.post(url, data={"value": "4"}, headers={"HX-Request": "true", "X-CSRF-Token": sent})
        assert refused.status_code == 403 and REFUSED in refused.text, sent


@given(st.text(alphabet=st.characters(codec="ascii"), min_size=1, max_size=64))
def test_masking_round_trips_and_never_shows_the_token(stored: str):
    shown = csrf.mask(stored)
    assert csrf.unmask(shown) == stored.encode()
    assert stored not in shown or len(stored) < 4


@given(st.text(max_size=200))
def test_unmask_never_raises(sent: str):
    csrf.unmask(sent)
