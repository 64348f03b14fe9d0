"""`make bench`: held-out intent accuracy and macro-F1 per language (with and without spaCy lemmas),
language-detection accuracy, emergency recall, training time, server start-up time and memory, and
REST turn latency with the action server in the loop.

Targets (issue #3/#5): accuracy >= 0.95 per language, emergency recall 1.0, training < 5 min,
turn p95 < 100 ms for one user. Results are printed and written to var/bench.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Optional

import yaml

from bot.settings import PROJECT_ROOT, get_settings

HELDOUT_DIR = PROJECT_ROOT / "tests" / "nlu_heldout"
TRAINING_DIR = PROJECT_ROOT / "data" / "nlu"
CONVERSATION_TURNS = 10
EMERGENCY_DIR = PROJECT_ROOT / "tests" / "emergency"
RASA = str(Path(sys.executable).parent / "rasa")


def log(msg: str) -> None:
    print(msg, flush=True)


# ------------------------------------------------------------------------------------------ data


def nlu_examples(directory: Path) -> dict[str, list[tuple[str, str]]]:
    """language -> [(text, intent)] of the `<language>/<intent>.yml` files under `directory`,
    entity annotations removed."""
    import re

    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in sorted(directory.glob("*/*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line[2:]).strip()
                    out[path.parent.name].append((text, block["intent"]))
    return dict(out)


def heldout_examples() -> dict[str, list[tuple[str, str]]]:
    return nlu_examples(HELDOUT_DIR)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def training_texts() -> set[tuple[str, str]]:
    """(language, normalised text) of every training example."""
    return {(language, _norm(text)) for language, items in nlu_examples(TRAINING_DIR).items() for text, _ in items}


#: Parts of each tests/emergency set: dev (patterns tuned on them, also training examples), heldout (never
#: trained or tuned on; counts only), threshold (new writers' messages on which the classifier threshold
#: was chosen; never trained on).
CRISIS_PARTS = ("dev", "heldout", "threshold")


def crisis_sets() -> dict[str, dict[str, list[str]]]:
    out = {}
    for path in sorted(EMERGENCY_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["language"]] = {part if kind == "crisis" else f"not_crisis_{part}": data[kind][part]
                                 for kind in ("crisis", "not_crisis") for part in CRISIS_PARTS}
    return out


# ------------------------------------------------------------------------------------- measures


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """pairs of (gold, predicted)."""
    labels = sorted({g for g, _ in pairs})
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def train(config: Path, out_dir: Path, name: str) -> tuple[Path, float]:
    start = time.monotonic()
    subprocess.run([RASA, "train", "--config", str(config), "--out", str(out_dir), "--fixed-model-name", name,
                    "--force", "--quiet", "--skip-validation"], cwd=PROJECT_ROOT, check=True,
                   env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"})
    return out_dir / f"{name}.tar.gz", time.monotonic() - start


def parse_all(model: Path, texts: list[str]) -> list[dict]:
    """The NLU parse of each text, from the model loaded in this process."""
    import logging

    from rasa.core.agent import Agent

    from rasa.utils.log_utils import configure_structlog

    # Without this, an Agent in our own process logs every parsed text at debug level (structlog).
    configure_structlog(logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    agent = Agent.load(str(model))

    async def go():
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(go())


def evaluate_nlu(model: Path) -> dict:
    heldout = heldout_examples()
    crisis = crisis_sets()
    flat = [(lang, t, i) for lang, items in heldout.items() for t, i in items]
    crisis_flat = [(lang, part, t) for lang, parts in crisis.items() for part, items in parts.items() for t in items]
    seen = training_texts()
    parses = parse_all(model, [t for _, t, _ in flat] + [t for _, _, t in crisis_flat])
    predicted = [(p.get("intent") or {}).get("name") for p in parses]
    nlu_pred, crisis_pred = predicted[: len(flat)], predicted[len(flat):]
    identified = [((p.get("language") or {}).get("code")) for p in parses[: len(flat)]]
    result: dict = {"languages": {}, "emergency": {}, "language_detection": {}}
    for lang in sorted(heldout):
        hits = [code == lg for (lg, _, _), code in zip(flat, identified) if lg == lang]
        result["language_detection"][lang] = sum(hits) / len(hits)
    # The language the bot answers in when the message arrives in a conversation held in its language
    # (bot.language.decide_language, as the actions call it): short or ambiguous messages must not flip it.
    result["language_kept"] = {}
    for lang in sorted(heldout):
        # choose_language messages ask for another language on purpose: left out here.
        kept = [_answer_language(lg, text, parse) == lg for (lg, text, intent), parse in zip(flat, parses)
                if lg == lang and intent != "choose_language"]
        result["language_kept"][lang] = sum(kept) / len(kept)
    for lang in sorted(heldout):
        pairs = [(i, p) for (lg, _, i), p in zip(flat, nlu_pred) if lg == lang]
        errors = Counter((g, p) for g, p in pairs if g != p)
        # Short replies ("ok", "danke") also occur verbatim in the training data; the accuracy on the
        # other held-out messages is reported beside the overall one.
        unseen = [(i, p) for (lg, t, i), p in zip(flat, nlu_pred) if lg == lang and (lg, _norm(t)) not in seen]
        result["languages"][lang] = {
            "n": len(pairs),
            "accuracy": sum(g == p for g, p in pairs) / len(pairs),
            # What the user sees: a topic message the emergency override took still gets its topic's
            # answer after 110/112 when the classifier was sure (actions/emergency.py). Reported beside
            # the accuracy, not instead of it.
            "answered_with_topic": sum(_topic_answered(i, parse) for (lg, _, i), parse in zip(flat, parses)
                                       if lg == lang) / len(pairs),
            "n_unseen": len(unseen),
            "accuracy_unseen": sum(g == p for g, p in unseen) / len(unseen),
            "macro_f1": macro_f1(pairs),
            "top_confusions": [f"{g}->{p} x{n}" for (g, p), n in errors.most_common(5)],
        }
    for lang in sorted(crisis):
        row = {}
        for part in CRISIS_PARTS:
            preds = [p for (lg, pt, _), p in zip(crisis_flat, crisis_pred) if lg == lang and pt == part]
            row[f"recall_{part}"] = sum(p == "emergency" for p in preds) / len(preds)
            row[f"missed_{part}"] = [t for (lg, pt, t), p in zip(crisis_flat, crisis_pred)
                                     if lg == lang and pt == part and p != "emergency"]
        row["missed_heldout"] = len(row["missed_heldout"])  # a count: the texts are not for tuning
        # Near-misses: the dev ones are also training examples of their topics (data/nlu), so the held-out
        # ones (never trained or tuned on) are the figure to trust.
        for part in CRISIS_PARTS:
            preds = [p for (lg, pt, _), p in zip(crisis_flat, crisis_pred) if lg == lang and pt == f"not_crisis_{part}"]
            row[f"false_alarm_rate_{part}"] = sum(p == "emergency" for p in preds) / len(preds)
        result["emergency"][lang] = row
    return result


def _topic_answered(gold: str, parse: dict) -> bool:
    """Right intent, or the emergency answer followed by the right topic's answer (actions/emergency.py)."""
    from actions.emergency import classifier_topic
    from actions.topics import INTENT_TOPICS

    intent = (parse.get("intent") or {}).get("name")
    if intent == gold:
        return True
    return (intent == "emergency" and gold in INTENT_TOPICS
            and classifier_topic(parse.get("intent_ranking") or []) == INTENT_TOPICS[gold])


def _answer_language(current: str, text: str, parse: dict) -> str:
    from bot.language import Detection, decide_language

    found = parse.get("language") or {}
    detection = (Detection(found["code"], float(found.get("confidence") or 0.0), int(found.get("words") or 0))
                 if found.get("code") else None)  # as actions/slots.py: no guess -> lingua decides
    places = [e["value"] for e in parse.get("entities") or [] if e.get("entity") == "district"]
    return decide_language(current, text, ignore=places, detection=detection)


def language_detection_lingua() -> dict:
    """The same held-out messages through lingua alone (bot.language.detect_language), for comparison."""
    from bot.language import detect_language

    out = {}
    for lang, items in heldout_examples().items():
        hits = [detect_language(t).language == lang for t, _ in items]
        out[lang] = sum(hits) / len(hits)
    return out


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def serve_and_measure(model: Path, turns: int) -> dict:
    from bot.stack import Stack, free_port

    rasa_port, action_port, api_port = free_port(), free_port(), free_port()
    env = {"RASA_URL": f"http://127.0.0.1:{rasa_port}", "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}",
           "DATABASE_URL": get_settings().database_url, "API_HOST": "127.0.0.1", "API_PORT": str(api_port),
           "RATE_PER_CONVERSATION": "100000", "RATE_PER_CLIENT": "100000", "BOT_VAR_DIR": tempfile.mkdtemp()}
    stack = Stack(model=model, env=env, log_dir=Path(tempfile.mkdtemp()), quiet=True)
    start = time.monotonic()
    stack.start()
    startup = time.monotonic() - start
    try:
        url = f"{stack.rasa_url}/webhooks/rest/webhook"
        questions = ["ich brauche eine wohnung", "where can I learn German", "Britz", "kita platz",
                     "I need a doctor", "hallo", "jobcenter termin", "danke"]
        for q in questions:  # warm-up
            _post(url, "warmup", q)
        # One user at a time, in conversations of CONVERSATION_TURNS turns (Rasa sends the whole
        # conversation to the action server on every turn, so very long ones get slower).
        latencies = []
        user = None
        for i in range(turns):
            if i % CONVERSATION_TURNS == 0:
                user = uuid.uuid4().hex
            t0 = time.perf_counter()
            _post(url, user, questions[i % len(questions)])
            latencies.append((time.perf_counter() - t0) * 1000)
        latencies.sort()
        api_latencies = []
        conversation = None
        for i in range(turns):
            if i % CONVERSATION_TURNS == 0:
                conversation = None
            t0 = time.perf_counter()
            body = _post_json(f"{stack.api_url}/api/chat",
                              {"message": questions[i % len(questions)], "conversation": conversation})
            api_latencies.append((time.perf_counter() - t0) * 1000)
            conversation = body["conversation"]
        api_latencies.sort()
        memory = {svc.name: round(rss_mb(svc.process.pid)) for svc in stack.services}
    finally:
        stack.stop()
    return {
        "startup_s": round(startup, 1),
        "memory_mb": memory,
        "turns": turns,
        "latency_ms_p50": round(statistics.median(latencies), 1),
        "latency_ms_p95": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "api_latency_ms_p50": round(statistics.median(api_latencies), 1),
        "api_latency_ms_p95": round(api_latencies[int(0.95 * (len(api_latencies) - 1))], 1),
    }


def _post_json(url: str, payload: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.loads(response.read())


def _post(url: str, sender: str, text: str) -> list:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.loads(response.read())


def ablation_config(out: Path) -> Path:
    """config.yml with LemmaTokenizer's lemmas switched off (spaCy tokenisation only)."""
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if component["name"].endswith("LemmaTokenizer"):
            component["lemmatize"] = False
    path = out / "config_without_lemmas.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--skip-ablation", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    report: dict = {}

    log("[1/5] training the model from scratch (timed) ...")
    model, seconds = train(PROJECT_ROOT / "config.yml", work, "bench")
    report["training_s"] = round(seconds, 1)
    log(f"      training took {seconds:.0f} s")

    log("[2/5] held-out intent accuracy and emergency recall ...")
    report["nlu"] = evaluate_nlu(model)

    if not args.skip_ablation:
        log("[3/5] the same without spaCy lemmas (ablation) ...")
        plain, plain_seconds = train(ablation_config(work), work, "bench_without_lemmas")
        report["nlu_without_lemmas"] = {lang: {k: v for k, v in row.items() if k in ("accuracy", "macro_f1")}
                                        for lang, row in evaluate_nlu(plain)["languages"].items()}
        report["training_without_lemmas_s"] = round(plain_seconds, 1)
    else:
        log("[3/5] ablation skipped")

    log("[4/5] language detection on the held-out messages (lingua alone, for comparison) ...")
    report["language_detection_lingua"] = language_detection_lingua()

    log(f"[5/5] serving: start-up, memory, {args.turns} turns over REST and over /api/chat ...")
    report["serving"] = serve_and_measure(model, args.turns)

    print_report(report)
    out = get_settings().var_dir / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    log(f"\nwritten to {out}")
    return 0


def print_report(report: dict) -> None:
    log("\n== held-out intent classification ==")
    log(f"{'lang':6}{'n':>6}{'accuracy':>10}{'macro-F1':>10}{'acc (not in training)':>23}{'acc (no lemmas)':>17}"
        f"{'lang-id':>9}{'lingua':>8}")
    for lang, row in report["nlu"]["languages"].items():
        plain = report.get("nlu_without_lemmas", {}).get(lang, {})
        unseen = f"{row['accuracy_unseen']:.3f} (n={row['n_unseen']})"
        log(f"{lang:6}{row['n']:>6}{row['accuracy']:>10.3f}{row['macro_f1']:>10.3f}{unseen:>23}"
            f"{plain.get('accuracy', float('nan')):>17.3f}{report['nlu']['language_detection'].get(lang, float('nan')):>9.3f}"
            f"{report['language_detection_lingua'].get(lang, float('nan')):>8.3f}")
        log(f"      right topic answered, counting the topic answer after 110/112: {row['answered_with_topic']:.3f}")
        if row["top_confusions"]:
            log(f"      confusions: {', '.join(row['top_confusions'])}")
    log("language kept in a conversation held in the message's language (decide_language): "
        + ", ".join(f"{lang} {share:.3f}" for lang, share in report["nlu"].get("language_kept", {}).items()))
    log("\n== emergency recall (intent 'emergency' after the full pipeline) ==")
    for lang, row in report["nlu"]["emergency"].items():
        log(f"{lang:6} heldout {row['recall_heldout']:.3f} ({row['missed_heldout']} missed)  "
            f"dev {row['recall_dev']:.3f}  threshold {row['recall_threshold']:.3f}  false alarms on near-misses: "
            f"held-out {row['false_alarm_rate_heldout']:.2f}, dev {row['false_alarm_rate_dev']:.2f}, "
            f"threshold {row['false_alarm_rate_threshold']:.2f}")
        # Only dev and threshold misses are shown: held-out messages stay unread.
        for part in ("dev", "threshold"):
            for text in row[f"missed_{part}"]:
                log(f"      missed ({part}): {text}")
    serving = report["serving"]
    log("\n== training and serving ==")
    log(f"training: {report['training_s']} s (without lemmas: {report.get('training_without_lemmas_s', '-')} s)")
    log(f"start-up until ready: {serving['startup_s']} s; memory: {serving['memory_mb']} MB")
    log(f"REST turn latency with actions ({serving['turns']} turns, one user at a time, "
        f"conversations of {CONVERSATION_TURNS} turns): "
        f"p50 {serving['latency_ms_p50']} ms, p95 {serving['latency_ms_p95']} ms")
    log(f"turn latency through the public API /api/chat: "
        f"p50 {serving['api_latency_ms_p50']} ms, p95 {serving['api_latency_ms_p95']} ms")


if __name__ == "__main__":
    sys.exit(main())
