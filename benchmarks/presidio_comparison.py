"""Would presidio-analyzer serve better than our own engine? (issue 14) A measurement, not a dependency.

presidio-analyzer is *not* a dependency of pledge_analysis (it pulls ``tldextract``, which fetches the
public-suffix list over the network, and expects a trained spaCy model). To repeat the measurement,
install it in a throwaway environment that can also import this package::

    python -m venv /tmp/presidio-venv
    echo "$(.venv/bin/python -c 'import site; print(site.getsitepackages()[0])')" \
        > "$(/tmp/presidio-venv/bin/python -c 'import site; print(site.getsitepackages()[0])')/shared.pth"
    /tmp/presidio-venv/bin/pip install --no-deps presidio-analyzer tldextract requests-file
    PYTHONPATH=. /tmp/presidio-venv/bin/python benchmarks/presidio_comparison.py

It scores three set-ups on the *dev* sets only (``deid_dev_v2.jsonl``, ``deid_dev_v3.jsonl``):

1. **presidio alone**: its predefined recognizers (phone numbers through ``phonenumbers`` for its
   default regions; PERSON only from the spaCy NER, here a blank pipeline since no trained model
   can be installed on the project machine);
2. **presidio + ours**: our recognizers plugged into presidio's registry as one ``EntityRecognizer``
   (with presidio's context-word enhancer and its phone recognizer beside ours);
3. **ours alone**: :func:`pledge_analysis.text.find_scored`, as the pipeline runs it.

Email and URL recognizers are left out of presidio's registry (``tldextract`` would go to the network).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
MAP = {"PERSON": "PERSON", "PHONE_NUMBER": "PHONE", "UK_NHS": "NHS_NUMBER", "DATE_TIME": "DATE"}


def _score(items, predict) -> dict[str, tuple[float, float]]:
    """Recall and precision per label (overlap with the same label counts), as ``evaluation.evaluate`` does."""
    c: dict[str, list[int]] = {}
    for text, gold in items:
        pred = predict(text)
        for s, e, label in gold:
            k = c.setdefault(label, [0, 0, 0, 0])
            k[0] += 1
            k[1] += any(ps < e and s < pe and pl == label for ps, pe, pl in pred)
        for s, e, label in pred:
            k = c.setdefault(label, [0, 0, 0, 0])
            k[2] += 1
            k[3] += any(gs < e and s < ge and gl == label for gs, ge, gl in gold)
    tot = [sum(v[i] for v in c.values()) for i in range(4)]
    out = {label: (v[1] / v[0] if v[0] else float("nan"), v[3] / v[2] if v[2] else float("nan"))
           for label, v in c.items() if label in ("PERSON", "PHONE")}
    out["ALL"] = (tot[1] / tot[0], tot[3] / tot[2] if tot[2] else float("nan"))
    return out


def _engines():
    import spacy
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from pledge_analysis.text.deidentify import Options, find_scored

    model = Path(tempfile.mkdtemp()) / "blank_en"
    spacy.blank("en").to_disk(model)
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": str(model)}]}
    nlp_engine = NlpEngineProvider(nlp_configuration=conf).create_engine()

    class Ours(EntityRecognizer):
        """Our recognizers as one presidio recognizer (labels renamed to presidio's entity names)."""

        BACK = {"PHONE": "PHONE_NUMBER", "NHS_NUMBER": "UK_NHS", "DATE": "DATE_TIME"}

        def load(self):
            pass

        def analyze(self, text, entities, nlp_artifacts=None):
            return [RecognizerResult(self.BACK.get(label, label), s, e, sc)
                    for s, e, label, sc in find_scored(text, Options()) if self.BACK.get(label, label) in entities]

    def registry(with_ours: bool):
        reg = RecognizerRegistry()
        reg.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
        for name in ("EmailRecognizer", "UrlRecognizer"):
            reg.remove_recognizer(name)
        if with_ours:
            reg.add_recognizer(Ours(supported_entities=["PERSON", "PHONE_NUMBER", "UK_NHS", "DATE_TIME", "EMAIL",
                                                        "URL", "POSTCODE", "ADDRESS", "ID"], name="pledge"))
        return reg

    out = {}
    for name, with_ours in (("presidio alone", False), ("presidio + ours", True)):
        engine = AnalyzerEngine(registry=registry(with_ours), nlp_engine=nlp_engine, supported_languages=["en"])

        def predict(text, engine=engine):
            res = engine.analyze(text=text, language="en", score_threshold=0.4)
            # presidio keeps overlapping results; resolve as we do: the longer span, then the higher score
            kept = []
            for r in sorted(res, key=lambda r: (-(r.end - r.start), -r.score)):
                if all(r.end <= k.start or r.start >= k.end for k in kept):
                    kept.append(r)
            return [(r.start, r.end, MAP.get(r.entity_type, r.entity_type)) for r in kept]

        out[name] = predict
    out["ours alone"] = lambda text: [sp[:3] for sp in find_scored(text, Options())]
    return out


def main() -> None:
    try:
        import presidio_analyzer  # noqa: F401
    except ImportError:
        print("presidio-analyzer is not installed here (it is not a dependency): see this script's docstring.")
        sys.exit(0)
    from pledge_analysis.text.evaluation import load_jsonl_set

    sets = {"v2 dev": load_jsonl_set(DATA / "deid_dev_v2.jsonl"), "v3 dev": load_jsonl_set(DATA / "deid_dev_v3.jsonl")}
    for name, predict in _engines().items():
        predict("warm up Dr Okafor 07700 900461")
        for set_name, items in sets.items():
            t, c = time.perf_counter(), time.process_time()
            s = _score(items, predict)
            dt, dc = time.perf_counter() - t, time.process_time() - c
            cells = "  ".join(f"{label} R {r:.3f} P {p:.3f}" for label, (r, p) in s.items())
            print(f"{name:<16} {set_name}: {cells}  ({len(items) / dc:,.0f} texts/s CPU, {len(items) / dt:,.0f} wall)")


if __name__ == "__main__":
    main()
