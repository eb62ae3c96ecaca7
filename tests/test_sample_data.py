"""The synthetic sample is reproducible byte for byte and carries the planted signal."""
import filecmp
import subprocess
import sys

from conftest import SAMPLES


def test_generator_reproduces_every_file_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, str(SAMPLES / "generate.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(generated) >= 20
    for rel in generated:
        assert filecmp.cmp(tmp_path / rel, SAMPLES / rel, shallow=False), f"{rel} differs from the committed file"


def test_sample_has_the_shape_the_issue_asks_for(truth):
    assert len(truth["sites"]) == 6
    assert len({s["alliance"] for s in truth["sites"]}) == 2
    transcripts = list((SAMPLES / "transcripts").iterdir())
    assert len(transcripts) == 12
    assert {p.suffix for p in transcripts} == {".txt", ".docx", ".vtt"}
    assert (SAMPLES / "survey" / "patients_WRI.xlsx").exists()
    assert {i["label"] for i in truth["identifiers"]} >= {"PERSON", "PHONE"}
    # mixed encodings, as real Excel exports have
    assert (SAMPLES / "survey" / "patients_SAH.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    raw = (SAMPLES / "survey" / "patients_RGH.csv").read_bytes()
    raw.decode("cp1252")
    try:
        raw.decode("utf-8")
        has_cp1252_only_bytes = False
    except UnicodeDecodeError:
        has_cp1252_only_bytes = True
    assert has_cp1252_only_bytes
