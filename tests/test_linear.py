"""The intent classifier's core (bot/nlu/linear.py): a linear SVM with softmax confidences."""
import numpy as np
import pytest
from scipy.sparse import csr_matrix

from bot.nlu.linear import fit_temperature, neighbour_votes, normalise_rows, one_hot, softmax, train_linear_model


def _blobs(classes: int, per_class: int, spread: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(classes, 8)) * 3
    rows, labels = [], []
    for c in range(classes):
        rows.append(centres[c] + rng.normal(scale=spread, size=(per_class, 8)))
        labels += [f"intent_{c}"] * per_class
    return csr_matrix(np.vstack(rows)), labels


def test_separable_classes_are_learned_with_confident_probabilities():
    matrix, labels = _blobs(classes=4, per_class=30, spread=0.3)
    model = train_linear_model(matrix, labels, C=1.0, folds=3)
    probabilities = model.probabilities(matrix)
    predicted = [model.classes[i] for i in probabilities.argmax(axis=1)]
    assert predicted == labels
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert probabilities.max(axis=1).min() > 0.5


def test_overlapping_classes_get_lower_confidence_than_separable_ones():
    clear, clear_labels = _blobs(classes=4, per_class=30, spread=0.3)
    fuzzy, fuzzy_labels = _blobs(classes=4, per_class=30, spread=4.0)
    clear_conf = train_linear_model(clear, clear_labels).probabilities(clear).max(axis=1).mean()
    fuzzy_conf = train_linear_model(fuzzy, fuzzy_labels).probabilities(fuzzy).max(axis=1).mean()
    assert fuzzy_conf < clear_conf


def test_two_classes_give_two_symmetric_columns():
    matrix, labels = _blobs(classes=2, per_class=20, spread=0.5)
    model = train_linear_model(matrix, labels)
    assert model.coef.shape[0] == 2 and model.classes == ["intent_0", "intent_1"]
    assert [model.classes[i] for i in model.probabilities(matrix).argmax(axis=1)] == labels


def test_too_few_examples_for_cross_validation_still_train():
    matrix, labels = _blobs(classes=3, per_class=2, spread=0.1)
    model = train_linear_model(matrix, labels, folds=3)
    assert model.temperature == 1.0
    assert len(model.classes) == 3


def test_temperature_is_lower_when_the_scores_are_often_wrong():
    """Reliable scores get a sharp softmax (high temperature); unreliable ones a flatter one."""
    rng = np.random.default_rng(1)
    gold = rng.integers(0, 3, size=300)
    scores = rng.normal(size=(300, 3))
    scores[np.arange(300), gold] += 3.0
    noisy = scores.copy()
    flip = rng.random(300) < 0.4
    noisy[flip] = rng.normal(size=(int(flip.sum()), 3)) * 3.0
    assert fit_temperature(noisy, gold) < fit_temperature(scores, gold)


def test_softmax_is_stable_for_large_scores():
    probabilities = softmax(np.array([[1000.0, 999.0, -1000.0]]), 10.0)
    assert np.isfinite(probabilities).all() and abs(probabilities.sum() - 1) < 1e-9


def test_fits_in_worker_processes_equal_fits_one_after_the_other(monkeypatch):
    """Training runs the final and the fold fits side by side; the model must not depend on that."""
    import bot.nlu.linear as linear

    matrix, labels = _blobs(classes=5, per_class=40, spread=2.0, seed=3)
    monkeypatch.setattr(linear, "PARALLEL_MIN_ROWS", 10**9)
    alone = train_linear_model(matrix, labels, folds=2)
    monkeypatch.setattr(linear, "PARALLEL_MIN_ROWS", 0)
    side_by_side = train_linear_model(matrix, labels, folds=2)
    assert np.array_equal(alone.coef, side_by_side.coef)
    assert np.array_equal(alone.intercept, side_by_side.intercept)
    assert alone.temperature == side_by_side.temperature


def test_neighbour_votes_are_the_similarity_shares_of_the_k_nearest_examples():
    memory = normalise_rows([[1, 0], [0.9, 0.1], [0, 1], [-1, 0]])
    classes = np.array([0, 0, 1, 2])
    votes = neighbour_votes(np.array([[1.0, 0.05]]), memory, one_hot(classes, 3), k=3)
    near = memory[:3] @ normalise_rows([[1.0, 0.05]])[0]
    assert np.allclose(votes[0], [(near[0] + near[1]) / near.sum(), near[2] / near.sum(), 0.0])
    # k larger than the memory: every example votes, the opposite one (negative similarity) with 0
    everything = neighbour_votes(np.array([[1.0, 0.05]]), memory, one_hot(classes, 3), k=10)
    assert everything[0, 2] == 0.0 and abs(everything.sum() - 1) < 1e-9
    # only the nearest: one class gets everything
    assert np.allclose(neighbour_votes(np.array([[0.0, 2.0]]), memory, one_hot(classes, 3), k=1), [[0, 1, 0]])


def test_an_abstaining_class_counts_among_the_neighbours_but_gives_its_share_to_nobody():
    memory = normalise_rows([[1, 0], [0.95, 0.05], [0.9, 0.1], [0, 1]])
    classes = np.array([2, 2, 0, 1])  # class 2 (say, emergency) holds the two nearest examples
    votes = neighbour_votes(np.array([[1.0, 0.0]]), memory, one_hot(classes, 3), k=3, abstain=[2])
    assert votes[0, 2] == 0.0
    assert 0 < votes[0, 0] < 0.4 and votes[0, 1] == 0.0  # class 0's share of three, not all of it


def test_ties_with_the_kth_neighbour_all_vote():
    memory = normalise_rows([[1, 0], [1, 0], [1, 0], [0, 1]])
    votes = neighbour_votes(np.array([[1.0, 0.0]]), memory, one_hot(np.array([0, 1, 1, 2]), 3), k=1)
    assert np.allclose(votes, [[1 / 3, 2 / 3, 0]])


def test_the_neighbour_vote_corrects_an_svm_whose_features_cannot_separate_two_classes():
    """Counts that look alike for two intents, embeddings that tell them apart: the vote decides."""
    rng = np.random.default_rng(5)
    labels = ["a"] * 40 + ["b"] * 40 + ["c"] * 40
    counts = np.vstack([rng.normal(size=(80, 6)) + 1.0, rng.normal(size=(40, 6)) - 3.0])  # a and b alike
    embeddings = np.vstack([rng.normal(size=(40, 4)) * 0.1 + [5, 0, 0, 0], rng.normal(size=(40, 4)) * 0.1 + [0, 5, 0, 0],
                            rng.normal(size=(40, 4)) * 0.1 + [0, 0, 5, 0]])
    test_counts = np.vstack([rng.normal(size=(20, 6)) + 1.0, rng.normal(size=(20, 6)) + 1.0])
    test_embeddings = np.vstack([rng.normal(size=(20, 4)) * 0.1 + [5, 0, 0, 0],
                                 rng.normal(size=(20, 4)) * 0.1 + [0, 5, 0, 0]])
    gold = ["a"] * 20 + ["b"] * 20
    plain = train_linear_model(csr_matrix(counts), labels, folds=2)
    voting = train_linear_model(csr_matrix(counts), labels, folds=2, embeddings=embeddings, k=5, neighbour_weight=3.0)
    accuracy = lambda model, emb: np.mean(
        [model.classes[i] == g for i, g in zip(model.probabilities(csr_matrix(test_counts), emb).argmax(axis=1), gold)])
    assert voting.votes and not plain.votes
    assert accuracy(plain, None) < 0.8 and accuracy(voting, test_embeddings) == 1.0
    abstaining = train_linear_model(csr_matrix(counts), labels, folds=2, embeddings=embeddings, k=5,
                                    neighbour_weight=3.0, abstain=["b"])
    assert abstaining.abstain == (1,)
    assert accuracy(abstaining, test_embeddings) < 1.0  # b's examples no longer vote for b
    with pytest.raises(ValueError):  # a voting model without embeddings refuses, it does not skip the vote
        voting.probabilities(csr_matrix(test_counts))
