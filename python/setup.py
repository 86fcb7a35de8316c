"""setup.py - the one thing pyproject.toml cannot say: the compiled module,
built by cffi from fihris_build.py."""

from setuptools import setup

setup(cffi_modules=["fihris_build.py:ffibuilder"])
