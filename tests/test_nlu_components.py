"""The NLU components that replace Rasa's own give the features Rasa's would give."""
import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.components import LANGUAGE_KEY, LemmaTokenizer, SentenceCountsFeaturizer

TRAINING = [
    ("de", "Ich suche eine Wohnung in Neukölln", "housing"),
    ("de", "Wohnungen für Familien mit 3 Kindern?", "housing"),
    ("en", "my kid needs a Kita place, the Jobcenter says no", "school"),
    ("en", "Where are the German courses? 2 times a week", "language_courses"),
    ("tr", "Çocuğum için okul arıyorum", "school"),
    ("uk", "Де знайти лікаря, який говорить українською?", "health"),
    ("ar", "أبحث عن شقة في برلين", "housing"),
]
NEW = [("de", "Die Wohnungen sind zu teuer, 1200 Euro"), ("en", "kita for kids, courses"), ("fa", "دکتر کجاست؟")]
CONFIGS = [{}, {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5}]


def _messages(rows):
    out = []
    for row in rows:
        message = Message(data={TEXT: row[1], **({"intent": row[2]} if len(row) > 2 else {})})
        message.set(LANGUAGE_KEY, {"code": row[0], "confidence": 1.0, "words": 0})
        out.append(message)
    return out


@pytest.fixture(scope="module")
def tokenizer():
    return LemmaTokenizer({**LemmaTokenizer.get_default_config(), "lemma_languages": ["de", "en", "ru", "tr"]})


def _trained(cls, config, tmp_path, training_data):
    tmp_path.mkdir(parents=True, exist_ok=True)
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), node_name=f"{cls.__name__}_{len(config)}")
    component = cls.create({**cls.get_default_config(), **config}, storage, Resource(context.node_name), context)
    component.train(training_data)
    return component


@pytest.mark.parametrize("config", CONFIGS, ids=["words", "char_wb"])
def test_sentence_counts_are_those_of_rasas_count_vectors_featurizer(config, tokenizer, tmp_path):
    training_data = tokenizer.process_training_data(TrainingData(_messages(TRAINING)))
    ours = _trained(SentenceCountsFeaturizer, config, tmp_path / "ours", training_data)
    rasas = _trained(CountVectorsFeaturizer, config, tmp_path / "rasa", training_data)
    assert ours.vectorizers[TEXT].vocabulary_ == rasas.vectorizers[TEXT].vocabulary_
    for rows in (TRAINING, NEW):
        mine, theirs = tokenizer.process(_messages(rows)), tokenizer.process(_messages(rows))
        ours.process(mine)
        rasas.process(theirs)
        counted = 0
        for a, b in zip(mine, theirs):
            sequence, sentence = a.get_sparse_features(TEXT)
            assert sequence is None  # only the sentence row: nothing reads per-token counts
            expected = b.get_sparse_features(TEXT)[1].features.toarray()
            assert np.array_equal(sentence.features.toarray(), expected)
            counted += expected.sum() > 0
        assert counted >= len(rows) - 1  # the Persian message has no known word: an all-zero row


@pytest.mark.parametrize("cls", [SentenceCountsFeaturizer, CountVectorsFeaturizer])
def test_only_the_text_is_counted_not_the_intent_names(cls, tmp_path, tokenizer):
    training_data = tokenizer.process_training_data(TrainingData(_messages(TRAINING)))
    featurizer = _trained(cls, {}, tmp_path, training_data)
    featurizer.process_training_data(training_data)
    intent_features = [next((f for f in m.get_sparse_features("intent") if f is not None), None)
                       for m in training_data.training_examples]  # sequence or sentence features
    if cls is SentenceCountsFeaturizer:
        assert set(featurizer.vectorizers) == {TEXT}
        assert intent_features == [None] * len(TRAINING)
    else:  # Rasa's own does count intent names: the check above would notice if ours did
        assert all(f is not None for f in intent_features)


def test_lemmas_come_from_spacys_lookup_tables(tokenizer):
    from spacy.lookups import load_lookups

    table = load_lookups("de", ["lemma_lookup"]).get_table("lemma_lookup")
    [message] = tokenizer.process(_messages([("de", "Die Wohnungen sind zu teuer, wir suchten lange")]))
    tokens = message.get("text_tokens")
    assert [t.lemma for t in tokens][:2] == ["der", "wohnung"]
    for token in tokens:
        if token.text in table:
            assert token.lemma == str(table[token.text]).lower()


def test_tokenizer_loads_its_pipelines_and_tables_with_the_model():
    config = {**LemmaTokenizer.get_default_config(), "lemma_languages": ["de", "en", "ru", "tr"]}
    assert LemmaTokenizer(config)._tables == {}
    loaded = LemmaTokenizer.create(config, None, None, None)
    assert set(loaded._tables) == {"de", "en", "ru", "tr"}
    assert set(loaded._nlp) >= {"de", "en", "ar", "uk", "fa", "ru", "tr"}


def test_target_group_extractor_marks_hints_in_every_language():
    from bot.nlu.components import TargetGroupExtractor

    extractor = TargetGroupExtractor()
    rows = [("ar", "بدي دكتور لطفلي"), ("uk", "лікар для дитини"), ("tr", "çocuğum hasta"), ("fa", "دکتر برای بچه‌ام"),
            ("ru", "врач для ребёнка"), ("de", "Arzt für mein Kind"), ("en", "doctor for my kid"), ("en", "doctor please")]
    found = [[(e["entity"], e["value"]) for e in m.get("entities", [])] for m in extractor.process(_messages(rows))]
    assert found == [[("target_group", "children")]] * 7 + [[]]


def test_sentence_encoder_encodes_each_distinct_text_once_with_the_same_vectors():
    from bot.nlu.components import SentenceEncoderFeaturizer

    featurizer = SentenceEncoderFeaturizer({**SentenceEncoderFeaturizer.get_default_config(), "batch_size": 2}, "enc")
    encoded = []
    real = featurizer._encode
    featurizer._encode = lambda texts: (encoded.extend(texts), real(texts))[1]
    rows = [("de", "ok"), ("en", "Kita Platz??"), ("de", "ok"), ("uk", "Де знайти лікаря?"), ("en", "Kita Platz??")]
    messages = featurizer.process(_messages(rows))
    assert encoded == ["ok", "Kita Platz??", "Де знайти лікаря?"]
    vectors = [m.get_dense_features(TEXT)[1].features for m in messages]
    assert all(v.shape == (1, 384) for v in vectors)
    assert np.array_equal(vectors[0], vectors[2]) and np.array_equal(vectors[1], vectors[4])
    assert not np.array_equal(vectors[0], vectors[1])
    alone = real(["Де знайти лікаря?"])
    assert np.allclose(vectors[3], alone, atol=1e-6)


def test_sentence_encoder_reads_latin_letter_arabic_in_arabic_script():
    from bot.nlu.components import SentenceEncoderFeaturizer

    config = {**SentenceEncoderFeaturizer.get_default_config(), "respell_latin": True}
    featurizer = SentenceEncoderFeaturizer(config, "enc")
    encoded = []
    real = featurizer._encode
    featurizer._encode = lambda texts: (encoded.extend(texts), real(texts))[1]
    rows = [("ar", "ana nayem bel share3"), ("de", "ana nayem bel share3"), ("ar", "انا نايم بالشارع")]
    vectors = [m.get_dense_features(TEXT)[1].features[0] for m in featurizer.process(_messages(rows))]
    # Identified as Arabic, the Latin letters are read as "انا نايم بل شرع"; identified as German, as
    # typed; Arabic script as it is.
    assert encoded == ["انا نايم بل شرع", "ana nayem bel share3", "انا نايم بالشارع"]
    assert np.allclose(vectors[0], real(["انا نايم بل شرع"])[0], atol=1e-6)
    assert not np.allclose(vectors[0], vectors[1], atol=1e-3)


def test_intent_classifier_with_neighbour_vote_predicts_the_same_after_loading(tokenizer, tmp_path):
    from bot.nlu.components import LinearIntentClassifier, SentenceEncoderFeaturizer

    counts = _trained(SentenceCountsFeaturizer, {}, tmp_path / "counts",
                      tokenizer.process_training_data(TrainingData(_messages(TRAINING))))
    encoder = SentenceEncoderFeaturizer(SentenceEncoderFeaturizer.get_default_config(), "enc")

    def featurized(rows):
        return encoder.process(counts.process(tokenizer.process(_messages(rows))))

    config = {"neighbours": 2, "neighbour_weight": 0.5, "neighbour_abstain": ["housing"], "folds": 2}
    classifier = _trained(LinearIntentClassifier, config, tmp_path / "clf", TrainingData(featurized(TRAINING)))
    assert classifier._model.votes and classifier._model.k == 2
    assert classifier._model.abstain == (classifier._model.classes.index("housing"),)
    context = ExecutionContext(GraphSchema({}), node_name=f"LinearIntentClassifier_{len(config)}")
    loaded = LinearIntentClassifier.load({**LinearIntentClassifier.get_default_config(), **config},
                                         LocalModelStorage(tmp_path / "clf"), Resource(context.node_name), context)
    assert loaded._model.votes and loaded._model.abstain == classifier._model.abstain
    assert np.array_equal(loaded._model.neighbours, classifier._model.neighbours)
    before = classifier.process(featurized(NEW))
    after = loaded.process(featurized(NEW))
    for a, b in zip(before, after):
        assert a.get("intent")["name"] == b.get("intent")["name"]
        assert abs(a.get("intent")["confidence"] - b.get("intent")["confidence"]) < 1e-9
