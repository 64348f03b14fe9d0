"""Training data importer: Rasa's file importer, but the NLU files are parsed once per training.

`rasa train` asks its importer for the NLU data three times: once without arguments (to choose the
training type), once from the domain merge (again without) and once from the graph's data provider
with the configured language. Rasa caches each call by its arguments, so all three parse the 210 files
again (about 5 s each for 28,000 examples). The language argument does not change the parse (the YAML
reader ignores it), so this importer keeps the first parse. Rasa merges what importers return into new
TrainingData objects (deep copies), so the kept object is never changed by its callers.
"""
from __future__ import annotations

from typing import Optional, Text

from rasa.shared.importers.rasa import RasaFileImporter
from rasa.shared.nlu.training_data.training_data import TrainingData


class OnceParsedFileImporter(RasaFileImporter):
    """RasaFileImporter whose NLU data is parsed on the first request and kept for the later ones."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._nlu_data: Optional[TrainingData] = None

    def get_nlu_data(self, language: Optional[Text] = "en") -> TrainingData:
        if self._nlu_data is None:
            self._nlu_data = super().get_nlu_data(language)
        return self._nlu_data
