"""A tiny CIFAR-10 written in the real on-disk format, for tests (no download, no md5 to match).

The CIFAR site's `cifar-10-batches-py/` holds Python 2 pickles (protocol 2): dicts whose keys are
Python 2 `str` (pickled as BINSTRING, read back by Python 3 as bytes or latin-1 str), `data` a
uint8 numpy array (N, 3072) in R, G, B planes, `labels` a list of ints. This writes exactly that,
with the built-in generator's shapes as images so a model trained on it beats chance.

    from cifar_fixture import write_tiny_cifar10   # tests/ is on sys.path under pytest
    write_tiny_cifar10(data_dir)                  # data_dir/cifar-10-batches-py, 5 x 20 train, 20 test
    load_dataset("cifar10", data_dir)
"""

from __future__ import annotations

import io
import pickle
import struct
import tarfile
from pathlib import Path

import numpy as np

from blitzgui.core.data import CIFAR10_CLASSES, CIFAR10_DIRNAME, generate_shapes

TRAIN_FILES = [f"data_batch_{i}" for i in range(1, 6)]


class _Python2Pickler(pickle._Pickler):
    """Writes bytes as Python 2 wrote its str (SHORT_BINSTRING / BINSTRING), as in the real files."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_bytes(self, obj: bytes) -> None:
        if len(obj) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(obj)]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_bytes


def python2_pickle(obj: object) -> bytes:
    buffer = io.BytesIO()
    _Python2Pickler(buffer, protocol=2).dump(obj)
    # numpy 2 calls its module numpy._core; the files from 2009 name numpy.core.
    return buffer.getvalue().replace(b"cnumpy._core.multiarray\n", b"cnumpy.core.multiarray\n")


def write_tiny_cifar10(data_dir: Path, per_batch: int = 20, test_size: int = 20, seed: int = 0) -> Path:
    """Write data_dir/cifar-10-batches-py (5 train batches of per_batch images, a test batch of
    test_size, batches.meta) and return that folder."""
    folder = Path(data_dir) / CIFAR10_DIRNAME
    folder.mkdir(parents=True, exist_ok=True)
    images, labels = generate_shapes(5 * per_batch + test_size, seed=seed)
    data = images.reshape(len(images), 3 * 32 * 32).numpy()
    labels = labels.tolist()
    names = TRAIN_FILES + ["test_batch"]
    for i, name in enumerate(names):
        rows = slice(i * per_batch, (i + 1) * per_batch) if i < 5 else slice(5 * per_batch, None)
        batch_label = f"training batch {i + 1} of 5" if i < 5 else "testing batch 1 of 1"
        batch = {
            b"batch_label": batch_label.encode(),
            b"labels": labels[rows],
            b"data": np.ascontiguousarray(data[rows]),
            b"filenames": [f"image_{i}_{j}.png".encode() for j in range(len(labels[rows]))],
        }
        (folder / name).write_bytes(python2_pickle(batch))
    meta = {b"num_cases_per_batch": per_batch, b"label_names": [n.encode() for n in CIFAR10_CLASSES], b"num_vis": 3072}
    (folder / "batches.meta").write_bytes(python2_pickle(meta))
    return folder


def tiny_cifar10_archive(work_dir: Path, **kwargs) -> bytes:
    """The bytes of a cifar-10-python.tar.gz holding a tiny CIFAR-10 (kwargs as write_tiny_cifar10)."""
    folder = write_tiny_cifar10(Path(work_dir), **kwargs)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(folder, arcname=CIFAR10_DIRNAME)
    return buffer.getvalue()


class ArchiveServer:
    """Serves a payload at http://127.0.0.1:<port>/cifar-10-python.tar.gz from a background thread.

    mode: "ok"; "slow" (sends chunk_bytes every `delay` seconds); "truncated" (announces more bytes
    than it sends, then closes); "unsized" (no Content-Length); "missing" (404). `requests` counts the requests served."""

    def __init__(self, payload: bytes, mode: str = "ok", delay: float = 0.05, chunk_bytes: int = 4096):
        import http.server
        import threading

        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                if mode == "missing":
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/gzip")
                if mode != "unsized":  # unsized: HTTP/1.0, the body ends when the connection closes
                    self.send_header("Content-Length", str(len(payload) + (1000 if mode == "truncated" else 0)))
                self.end_headers()
                try:
                    step = chunk_bytes if mode in ("slow", "unsized") else len(payload)
                    for start in range(0, len(payload), step):
                        if server.stopping.is_set():
                            return
                        self.wfile.write(payload[start:start + step])
                        self.wfile.flush()
                        if mode == "slow":
                            server.stopping.wait(delay)
                except OSError:
                    pass  # the client hung up (a cancelled download)
                self.close_connection = True

            def log_message(self, *args) -> None:
                pass

        self.requests = 0
        self.stopping = threading.Event()
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/cifar-10-python.tar.gz"

    def __enter__(self) -> ArchiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)
