#!/usr/bin/env python3
"""Regenerate requirements.lock, the lock file, from a fresh resolution of the README install.

Run it when pyproject.toml's dependencies change, or when you decide to move to newer releases;
never as a side effect of something else. Afterwards run every notebook under nbval in a venv
installed from the new lock (``.venv/bin/python -m pytest notebooks -p no:cacheprovider``),
re-execute any whose outputs changed only because of the new versions, and commit requirements.lock
together with those notebooks.

    python3 tools/update_lock.py              # fresh venv in a temporary folder (about 2 minutes)
    python3 tools/update_lock.py --venv .venv # freeze an existing venv instead (it must have been
                                              # installed with `pip install -c requirements.lock -e ".[test]"`)

The lock keeps requirements.lock's leading comment block, then every installed distribution as
``name==version`` sorted by name, without the editable pledge-analysis itself. PyTorch is always
pinned to ``TORCH_PIN`` (the CPU build: the registry's default build pulls several GB of CUDA
packages); the script refuses to write a lock that contains any nvidia-* or CUDA package.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
TORCH_PIN = "torch==2.13.0"
FORBIDDEN = re.compile(r"^(nvidia-|cuda|triton\b)", re.I)


def normalise(name: str) -> str:
    """The package name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def header() -> list[str]:
    lines = []
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def fresh_venv(tmp: Path) -> Path:
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    only_torch = tmp / "torch.txt"
    only_torch.write_text(TORCH_PIN + "\n")
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "-c", str(only_torch), "-e", ".[test]"],
                   cwd=ROOT, check=True)
    return venv


def freeze(venv: Path) -> list[str]:
    out = subprocess.run([str(venv / "bin" / "pip"), "freeze", "--exclude-editable"], check=True,
                         capture_output=True, text=True).stdout
    pins = {}
    for line in out.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if "==" not in line:
            sys.exit(f"not a name==version pin (installed from a URL or path?): {line}")
        name, version = line.split("==", 1)
        if normalise(name) == "pledge-analysis":
            continue
        if FORBIDDEN.match(name):
            sys.exit(f"{name} is a CUDA package: torch must stay at {TORCH_PIN}, the CPU build")
        pins[name] = TORCH_PIN if name.lower() == "torch" else f"{name}=={version}"
    if "torch" not in {n.lower() for n in pins}:
        sys.exit("torch is not installed: the lock must pin " + TORCH_PIN)
    return [pins[n] for n in sorted(pins, key=normalise)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--venv", type=Path, help="freeze this venv instead of resolving afresh")
    args = ap.parse_args()
    if args.venv:
        pins = freeze(args.venv.resolve())
    else:
        with tempfile.TemporaryDirectory() as tmp:
            pins = freeze(fresh_venv(Path(tmp)))
    LOCK.write_text("\n".join(header() + pins) + "\n", encoding="utf-8")
    print(f"wrote {len(pins)} pins to {LOCK.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
