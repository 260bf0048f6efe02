"""Downloading CIFAR-10: progress in bytes, cancellable between chunks, md5 verified, extracted
without trusting the archive's paths. Plain urllib and tarfile; no torch, so it imports fast."""

from __future__ import annotations

import hashlib
import http.client
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a"  # as published on the CIFAR-10 page (and in torchvision)
CIFAR10_ARCHIVE = "cifar-10-python.tar.gz"
CIFAR10_DIRNAME = "cifar-10-batches-py"
CHUNK_BYTES = 256 * 1024

OFFLINE_HINT = "The built-in offline dataset needs no download."


class DatasetError(Exception):
    """A dataset cannot be loaded or downloaded; the message says why and names the file."""


class DownloadCancelled(DatasetError):
    """The user cancelled a download."""


def download_cifar10(data_dir: Path, progress: Callable[[int, int], None] | None = None,
                     should_stop: Callable[[], bool] | None = None, url: str = CIFAR10_URL,
                     md5: str = CIFAR10_MD5, timeout: float = 30.0) -> Path:
    """Fetch the CIFAR-10 archive into data_dir and extract it; returns data_dir/cifar-10-batches-py.

    progress(bytes_done, bytes_total) is called after every chunk (total 0 when the server does not
    say); should_stop() is asked between chunks. An archive already downloaded and intact is reused.
    Raises DatasetError (DownloadCancelled when stopped) with a message saying what went wrong."""
    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetError(f"Cannot create the data folder {data_dir}: {exc.strerror or exc}") from None
    archive = data_dir / CIFAR10_ARCHIVE
    if not (archive.is_file() and file_md5(archive) == md5):
        fetch(url, archive, md5, progress, should_stop, timeout)
    return extract(archive, data_dir, CIFAR10_DIRNAME)


def file_md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def fetch(url: str, target: Path, md5: str, progress: Callable[[int, int], None] | None = None,
          should_stop: Callable[[], bool] | None = None, timeout: float = 30.0) -> None:
    """Download url to target through target.part; only a complete file with the right md5 is kept."""
    partial = target.with_name(target.name + ".part")
    digest = hashlib.md5()
    done = total = 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(partial, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            if progress is not None:
                progress(0, total)
            # read1 returns what has arrived so far, so a cancel is noticed even on a slow link.
            while chunk := response.read1(CHUNK_BYTES):
                if should_stop is not None and should_stop():
                    raise DownloadCancelled(f"Download cancelled after {done:,} bytes; nothing was kept.")
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        if total and done != total:
            raise DatasetError(f"Download incomplete: received {done:,} of {total:,} bytes from {url}. Try again.")
        if digest.hexdigest() != md5:
            raise DatasetError(f"Downloaded file failed its checksum (md5 {digest.hexdigest()}, expected {md5}); "
                               f"it was deleted. Try again.")
        partial.replace(target)
    except DatasetError:
        partial.unlink(missing_ok=True)
        raise
    except urllib.error.HTTPError as exc:
        partial.unlink(missing_ok=True)
        raise DatasetError(f"Could not download {url}: the server answered {exc.code} {exc.reason}. "
                           f"{OFFLINE_HINT}") from None
    except http.client.IncompleteRead:
        partial.unlink(missing_ok=True)
        raise DatasetError(f"Download incomplete: the connection closed after {done:,} of {total:,} bytes "
                           f"from {url}. Try again.") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        partial.unlink(missing_ok=True)
        reason = getattr(exc, "reason", None) or exc
        raise DatasetError(f"Could not download {url}: {reason}. Check the internet connection. "
                           f"{OFFLINE_HINT}") from None


def extract(archive: Path, data_dir: Path, dirname: str) -> Path:
    """Unpack archive's `dirname/` into data_dir/dirname, replacing an older copy only on success."""
    staging = Path(tempfile.mkdtemp(prefix=".extract-", dir=data_dir))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
            tar.extractall(staging, filter="data")
        extracted = staging / dirname
        if not extracted.is_dir():
            raise DatasetError(f"The archive {archive} has no {dirname}/ folder.")
        final = data_dir / dirname
        if final.exists():
            shutil.rmtree(final)
        extracted.replace(final)
        return final
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise DatasetError(f"Cannot extract {archive}: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
