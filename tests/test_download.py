"""download_cifar10 against a local HTTP server on 127.0.0.1 serving a tiny archive built here:
progress in bytes, cancel, md5, extraction, and a clear message for every failure."""

from __future__ import annotations

import hashlib
import io
import os
import socket
import tarfile

import pytest
from cifar_fixture import ArchiveServer, tiny_cifar10_archive

from blitzgui.core.data import DatasetError, load_dataset
from blitzgui.core.download import CIFAR10_ARCHIVE, CIFAR10_DIRNAME, DownloadCancelled, download_cifar10


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> bytes:
    return tiny_cifar10_archive(tmp_path_factory.mktemp("archive"), per_batch=40, test_size=40)


def md5_of(payload: bytes) -> str:
    return hashlib.md5(payload).hexdigest()


def leftovers(data_dir) -> list[str]:
    """Anything a failed download must not leave behind."""
    return sorted(p.name for p in data_dir.iterdir())


def test_download_reports_bytes_verifies_and_extracts(data_dir, archive):
    seen = []
    with ArchiveServer(archive, mode="slow", delay=0.0, chunk_bytes=8192) as server:
        folder = download_cifar10(data_dir, progress=lambda done, total: seen.append((done, total)),
                                  url=server.url, md5=md5_of(archive))
    assert folder == data_dir / CIFAR10_DIRNAME
    assert seen[0] == (0, len(archive)) and seen[-1] == (len(archive), len(archive))
    assert len(seen) > 3 and all(a[0] < b[0] for a, b in zip(seen, seen[1:]))
    assert leftovers(data_dir) == sorted([CIFAR10_ARCHIVE, CIFAR10_DIRNAME])  # no .part, no staging folder
    dataset = load_dataset("cifar10", data_dir)
    assert dataset.train_images.shape == (200, 3, 32, 32) and dataset.test_images.shape == (40, 3, 32, 32)


def test_an_intact_archive_is_not_downloaded_again(data_dir, archive):
    (data_dir / CIFAR10_ARCHIVE).write_bytes(archive)
    with ArchiveServer(archive) as server:
        download_cifar10(data_dir, url=server.url, md5=md5_of(archive))
    assert server.requests == 0
    assert (data_dir / CIFAR10_DIRNAME / "test_batch").is_file()


def test_a_damaged_archive_is_downloaded_again(data_dir, archive):
    (data_dir / CIFAR10_ARCHIVE).write_bytes(archive[:100])
    with ArchiveServer(archive) as server:
        download_cifar10(data_dir, url=server.url, md5=md5_of(archive))
    assert server.requests == 1
    assert (data_dir / CIFAR10_ARCHIVE).read_bytes() == archive


def test_bad_checksum_is_refused_and_nothing_kept(data_dir, archive):
    with ArchiveServer(archive) as server, pytest.raises(DatasetError, match="checksum") as error:
        download_cifar10(data_dir, url=server.url, md5="0" * 32)
    assert "md5" in str(error.value) and md5_of(archive) in str(error.value)
    assert leftovers(data_dir) == []


def test_cancel_stops_the_download_and_keeps_nothing(data_dir, archive):
    seen = []
    with ArchiveServer(archive, mode="slow", delay=0.01) as server:
        with pytest.raises(DownloadCancelled, match="cancelled"):
            download_cifar10(data_dir, progress=lambda done, total: seen.append(done),
                             should_stop=lambda: len(seen) >= 3, url=server.url, md5=md5_of(archive))
    assert 0 < seen[-1] < len(archive)
    assert leftovers(data_dir) == []


def test_cancel_keeps_an_earlier_good_copy(data_dir, archive):
    with ArchiveServer(archive) as server:
        download_cifar10(data_dir, url=server.url, md5=md5_of(archive))
    (data_dir / CIFAR10_ARCHIVE).unlink()
    with ArchiveServer(archive, mode="slow", delay=0.01) as server, pytest.raises(DownloadCancelled):
        download_cifar10(data_dir, should_stop=lambda: True, url=server.url, md5=md5_of(archive))
    assert load_dataset("cifar10", data_dir).test_images.shape[0] == 40


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_network_gives_a_clear_message_offering_the_builtin_set(data_dir):
    with pytest.raises(DatasetError) as error:
        download_cifar10(data_dir, url=f"http://127.0.0.1:{_closed_port()}/cifar-10-python.tar.gz", md5="0" * 32)
    message = str(error.value)
    assert "Could not download" in message and "refused" in message.lower()
    assert "internet connection" in message and "built-in offline dataset" in message
    assert leftovers(data_dir) == []


def test_a_server_that_never_answers_times_out(data_dir):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()  # accepts the connection but never sends a byte
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/x.tar.gz"
        with pytest.raises(DatasetError, match="timed out"):
            download_cifar10(data_dir, url=url, md5="0" * 32, timeout=0.3)
    assert leftovers(data_dir) == []


def test_http_error_is_reported(data_dir, archive):
    with ArchiveServer(archive, mode="missing") as server, pytest.raises(DatasetError, match="404"):
        download_cifar10(data_dir, url=server.url, md5=md5_of(archive))
    assert leftovers(data_dir) == []


def test_a_connection_closed_early_is_reported(data_dir, archive):
    with ArchiveServer(archive, mode="truncated") as server, pytest.raises(DatasetError, match="incomplete"):
        download_cifar10(data_dir, url=server.url, md5=md5_of(archive))
    assert leftovers(data_dir) == []


def test_a_malformed_url_is_reported(data_dir):
    with pytest.raises(DatasetError, match="Could not download"):
        download_cifar10(data_dir, url="not a url", md5="0" * 32)


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


@pytest.mark.parametrize("payload, message", [
    (_tar_gz({"other/readme.txt": b"hi"}), "has no cifar-10-batches-py/"),
    (_tar_gz({"../escaped.txt": b"hi", "cifar-10-batches-py/x": b"x"}), "Cannot extract"),
    (_tar_gz({"/tmp/absolute-blitzgui.txt": b"hi"}), "has no cifar"),  # the leading / is stripped
    (b"this is not a gzip file", "Cannot extract"),
])
def test_a_bad_archive_is_refused_and_escapes_nothing(data_dir, payload, message):
    with ArchiveServer(payload) as server, pytest.raises(DatasetError, match=message):
        download_cifar10(data_dir, url=server.url, md5=md5_of(payload))
    assert not (data_dir.parent / "escaped.txt").exists() and not os.path.exists("/tmp/absolute-blitzgui.txt")
    assert not (data_dir / CIFAR10_DIRNAME).exists()
    assert [p for p in data_dir.iterdir() if p.name.startswith(".extract")] == []


def test_a_data_folder_that_cannot_be_created_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(DatasetError, match="Cannot create the data folder"):
        download_cifar10(blocker / "data", url="http://127.0.0.1:9/x", md5="0" * 32)


def test_a_download_of_unknown_size_reports_bytes_with_total_zero(data_dir, archive):
    seen = []
    with ArchiveServer(archive, mode="unsized", chunk_bytes=65536) as server:
        download_cifar10(data_dir, progress=lambda done, total: seen.append((done, total)), url=server.url,
                         md5=md5_of(archive))
    assert {total for _, total in seen} == {0} and seen[-1][0] == len(archive)
    assert load_dataset("cifar10", data_dir).test_images.shape[0] == 40
