"""The training data importer named in config.yml: Rasa's file importer, parsing the NLU files once."""
from pathlib import Path

import rasa.shared.importers.utils as importer_utils
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.importers.rasa import RasaFileImporter

from bot.nlu.importer import OnceParsedFileImporter

ROOT = Path(__file__).parent.parent

NLU = """version: "3.1"
nlu:
- intent: housing
  examples: |
    - wo finde ich eine Wohnung in [Neukölln](district)
    - need a flat
- intent: greet
  examples: |
    - hallo
"""


def test_config_uses_the_importer():
    # Rasa only warns and falls back to its own importer when the name cannot be imported.
    importer = TrainingDataImporter.load_from_config(str(ROOT / "config.yml"), str(ROOT / "domain.yml"),
                                                     [str(ROOT / "data")])
    combined = importer.importer._importer  # E2EImporter -> ResponsesSyncImporter -> CombinedDataImporter
    assert [type(i) for i in combined._importers] == [OnceParsedFileImporter]


def test_the_files_are_parsed_once_whatever_the_language(tmp_path, monkeypatch):
    (tmp_path / "nlu.yml").write_text(NLU, encoding="utf-8")
    calls = []
    original = importer_utils.training_data_from_paths
    monkeypatch.setattr(importer_utils, "training_data_from_paths",
                        lambda paths, language: calls.append(language) or original(paths, language))
    importer = OnceParsedFileImporter(None, None, [str(tmp_path)])
    first = importer.get_nlu_data()
    assert importer.get_nlu_data(language="de") is first
    assert importer.get_nlu_data("en") is first
    assert calls == ["en"]
    plain = RasaFileImporter(None, None, [str(tmp_path)]).get_nlu_data("de")
    assert [(m.get("text"), m.get("intent"), m.get("entities")) for m in first.training_examples] == \
           [(m.get("text"), m.get("intent"), m.get("entities")) for m in plain.training_examples]
    assert len(first.training_examples) == 3
    assert first.entity_examples[0].get("entities")[0]["value"] == "Neukölln"
