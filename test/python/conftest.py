"""Shared fixtures of the Python tests: paths into the checkout (ctest puts the built module on PYTHONPATH)."""

import pathlib

import pytest

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]
MODELS = SOURCE_DIR / "test" / "data" / "models"


@pytest.fixture
def source_dir():
    return SOURCE_DIR


@pytest.fixture
def models_dir():
    return MODELS
