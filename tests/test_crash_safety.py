"""SIGKILL during uploads and autosaves: no half-written rows, no lost acknowledged upload, no orphans."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, select

from spbe.cli import main
from spbe.config import get_settings
from spbe.ops.cleanup import cleanup, stored_names
from spbe.store.db import make_engine
from spbe.store.evidence_files import TMP_DIR, storage_name
from spbe.store.models import Answer, Assessment, Evidence, StoredFile
from tests.conftest import postgres_database
from tests.live_server import LiveServer, WebSession
from tests.web.conftest import seed

KIB = 1024
UPLOAD_SIZE = 2 * KIB * KIB  # sent in 64 KiB pieces over about half a second: a kill lands mid-stream
SAVED = ("I01", "I02")  # indicators the autosavers write, one each
HTMX = {"HX-Request": "true"}


def pdf(tag: str) -> bytes:
    """Content the server accepts as a PDF (it checks the first bytes), unique per tag."""
    return b"%PDF-1.4\n%" + tag.encode() + b"\n" + os.urandom(UPLOAD_SIZE)


def slow_multipart(fields: dict[str, str], content: bytes) -> tuple[dict[str, str], Iterator[bytes]]:
    """Headers and a body streamed in pieces with pauses, like a slow browser upload."""
    boundary = uuid.uuid4().hex
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bukti.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    parts = [head.encode(), content, f"\r\n--{boundary}--\r\n".encode()]

    def body() -> Iterator[bytes]:
        for part in parts:
            for start in range(0, len(part), 64 * KIB):
                yield part[start : start + 64 * KIB]
                time.sleep(0.01)

    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(sum(map(len, parts))),
        **HTMX,
    }
    return headers, body()


@dataclass
class Sent:
    """What the clients sent (before sending) and what the server acknowledged."""

    uploads: dict[str, str] = field(default_factory=dict)  # title -> SHA-256
    acknowledged: set[str] = field(default_factory=set)
    saves: set[tuple[str, str, str]] = field(default_factory=set)  # (indicator, level, explanation), and the
    # answers as they were before any save
    lock: threading.Lock = field(default_factory=threading.Lock)

    def beyond(self, uploads: int, saves: int) -> Callable[[], bool]:
        """True once more uploads are acknowledged and more saves sent than these counts."""
        return lambda: len(self.acknowledged) > uploads and len(self.saves) > saves


def signed_in(server: LiveServer) -> WebSession:
    session = WebSession(httpx.Client(base_url=server.base, timeout=20))
    session.login("demo-koordinator")
    return session


def uploader(
    session: WebSession, aid: int, name: str, sent: Sent, contents: list[bytes] | None = None
) -> None:
    """Upload PDFs (unique, or drawn from `contents`) until the server goes away."""
    with contextlib.closing(session.client), contextlib.suppress(httpx.TransportError):
        for n in range(1000):
            title = f"{name}-{n}"
            content = random.choice(contents) if contents else pdf(title)
            with sent.lock:
                sent.uploads[title] = hashlib.sha256(content).hexdigest()
            headers, body = slow_multipart({"title": title, "levels": "3"}, content)
            response = session.post(
                f"/assessments/{aid}/indicators/I03/evidence/file", headers=headers, content=body
            )
            assert response.status_code == 200, response.text
            with sent.lock:
                sent.acknowledged.add(title)


def saver(session: WebSession, aid: int, indicator: str, sent: Sent) -> None:
    """Autosave a level and an explanation together until the server goes away."""
    with contextlib.closing(session.client), contextlib.suppress(httpx.TransportError):
        for n in range(100_000):
            level, text = str(random.randint(1, 5)), f"{indicator} {uuid.uuid4().hex} {n}"
            with sent.lock:
                sent.saves.add((indicator, level, text))
            response = session.post(
                f"/assessments/{aid}/indicators/{indicator}",
                data={"value": level, "explanation": text},
                headers=HTMX,
            )
            assert response.status_code == 200, response.text


def run_clients(
    targets: list[threading.Thread], enough: Callable[[], bool], then: Callable[[], object]
) -> None:
    """Run the clients until `enough` holds (30 s at most) and a random moment more; then `then` ends them."""
    for thread in targets:
        thread.start()
    deadline = time.monotonic() + 30
    while not enough() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(random.uniform(0, 0.8))
    then()
    for thread in targets:
        thread.join(30)
        assert not thread.is_alive()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A fresh demo database (URL) and its evidence folder."""
    with (
        postgres_database()
        if request.param == "postgres"
        else contextlib.nullcontext(f"sqlite:///{tmp_path / 'spbe.db'}")
    ) as url:
        seed(url)
        yield url, tmp_path / "evidence"


def settings(url: str, evidence_dir: Path) -> dict[str, str]:
    return {"database_url": url, "data_dir": str(evidence_dir.parent), "evidence_dir": str(evidence_dir)}


def a2022(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as db:
        found = db.exec(select(Assessment.id).where(Assessment.year == 2022)).one()
    engine.dispose()
    return found


def saved_answers(url: str) -> set[tuple[str, str, str]]:
    """(indicator, level, explanation) of the autosaved indicators' answers."""
    engine = make_engine(url)
    with Session(engine) as db:
        answers = db.exec(select(Answer).where(col(Answer.indicator_id).in_(SAVED))).all()
    engine.dispose()
    return {(a.indicator_id, str(a.value), a.explanation) for a in answers}


def check_store(url: str, evidence_dir: Path, sent: Sent) -> None:
    """Every row's file is on disk with its hash; uploads hold what was sent; answers hold sent values."""
    engine = make_engine(url)
    with Session(engine) as db:
        files = {f.id: f for f in db.exec(select(StoredFile))}
        items = db.exec(select(Evidence).where(Evidence.indicator_id == "I03")).all()
    engine.dispose()
    for stored in files.values():
        data = (evidence_dir / stored.storage_name).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (stored.sha256, stored.size)
    for item in items:
        assert item.file_id is not None and files[item.file_id].sha256 == sent.uploads[item.title]
    assert sent.acknowledged <= {item.title for item in items}, "an acknowledged upload was lost"
    assert saved_answers(url) <= sent.saves, "an answer holds values that were never sent together"


def test_killed_during_uploads_and_saves_leaves_no_half_written_rows_and_no_orphans(
    demo, monkeypatch, capsys
):
    url, evidence_dir = demo
    server, aid, sent = LiveServer(settings(url, evidence_dir)), a2022(url), Sent(saves=saved_answers(url))
    tmp = evidence_dir / TMP_DIR
    old, fresh = tmp / "upload-abandoned.part", tmp / "upload-fresh.part"
    for cycle in range(3):
        if cycle == 2:  # the next start removes temp files untouched for an hour, and only those
            tmp.mkdir(parents=True, exist_ok=True)
            old.write_bytes(b"x")
            fresh.write_bytes(b"y")
            os.utime(old, (time.time() - 7200, time.time() - 7200))
        server.start()
        assert not old.exists() and (cycle < 2 or fresh.exists())
        clients = [
            threading.Thread(target=uploader, args=(signed_in(server), aid, f"c{cycle}u{n}", sent))
            for n in range(3)
        ]
        clients += [threading.Thread(target=saver, args=(signed_in(server), aid, i, sent)) for i in SAVED]
        run_clients(clients, sent.beyond(len(sent.acknowledged), len(sent.saves) + 3), server.kill)
    check_store(url, evidence_dir, sent)
    assert len(sent.acknowledged) >= 3 and len(sent.saves) >= 10
    assert set(tmp.glob("upload-*.part")) - {fresh}, "no kill landed during an upload"
    for key, value in settings(url, evidence_dir).items():
        monkeypatch.setenv(f"SPBE_{key.upper()}", value)
    get_settings.cache_clear()
    try:
        assert main(["cleanup", "--older-than", "0", "--delete-unreferenced"]) == 0, capsys.readouterr().err
    finally:
        get_settings.cache_clear()
    engine = make_engine(url)
    with Session(engine) as db:
        referenced = set(db.exec(select(StoredFile.storage_name)))
    engine.dispose()
    assert stored_names(evidence_dir) == referenced and not list(tmp.iterdir())
    check_store(url, evidence_dir, sent)


def test_cleanup_during_uploads_of_the_same_content_never_takes_a_referenced_file(demo):
    url, evidence_dir = demo
    server, aid, sent = LiveServer(settings(url, evidence_dir)), a2022(url), Sent(saves=saved_answers(url))
    contents = [pdf(f"gemeinsam-{n}") for n in range(4)]
    engine = make_engine(url)
    stop = threading.Event()

    def plant_and_clean() -> None:
        """Keep putting the pool's contents in the store as unreferenced files, and cleaning them away."""
        while not stop.is_set():
            for content in contents:
                path = evidence_dir / storage_name(hashlib.sha256(content).hexdigest())
                if not path.exists():  # placed whole, as an upload would be
                    path.parent.mkdir(parents=True, exist_ok=True)
                    (evidence_dir / "planted").write_bytes(content)
                    os.replace(evidence_dir / "planted", path)
            cleanup(engine, evidence_dir, remove=True)

    server.start()
    try:
        cleaner = threading.Thread(target=plant_and_clean)
        clients = [
            threading.Thread(target=uploader, args=(signed_in(server), aid, f"u{n}", sent, contents))
            for n in range(3)
        ]
        run_clients([cleaner, *clients], sent.beyond(5, 0), lambda: (stop.set(), server.kill()))
    finally:
        engine.dispose()
    check_store(url, evidence_dir, sent)
    assert len(sent.acknowledged) >= 3
