#!/usr/bin/env python3
"""hindsight's excellence miner and PII filter side by side with their Python peers.

* Differentiators: ConvoKit's FightingWords (Monroe et al.'s log-odds with an informative Dirichlet
  prior) on exactly the documents hindsight's miner reads — exported by
  `hindsight bench excellence --export`: per call and stage the redacted agent lines as sentences
  of words, and the call's cohort. FightingWords is given the same vocabulary (n-grams of 1..7 words
  within sentences said by at least 5 calls of the stage), per-call presence counts and the same
  prior (0.01 x each phrase's corpus count), so its z-scores should equal hindsight's; the script
  prints the largest difference over every phrase hindsight ranked, and both sides' times.
* PII: Presidio's AnalyzerEngine and `hindsight redact --format json` on every turn in which the
  simulator planted personal data; recall per kind (a plant counts as found when detected spans
  cover every character of it) and time per turn. spaCy's trained pipelines are not published on
  PyPI by their authors, so Presidio runs on a blank English pipeline: its pattern recognizers
  (email, phone, card, SSN, IBAN, IP) work, its name detection (NER) does not, and names and street
  addresses are left out of the comparison.

Run `bench/excellence-peers.sh` (it makes the venv); results go to stdout and bench/results/.
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from collections import defaultdict

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer


def run(command):
    print("$", " ".join(command), file=sys.stderr)
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def ngrams(document, max_words=7):
    """The distinct n-grams of a document (a list of sentences of words), as hindsight counts them."""
    found = set()
    for words in document:
        for start in range(len(words)):
            for length in range(1, min(max_words, len(words) - start) + 1):
                found.add(" ".join(words[start : start + length]))
    return list(found)


def fighting_words(corpus_path, ours, min_calls, prior_scale, max_words):
    from convokit import Corpus, FightingWords, Speaker, Utterance

    documents = [json.loads(line) for line in open(corpus_path)]
    started = time.perf_counter()
    speaker = Speaker(id="agent")
    utterances = [
        Utterance(
            id=f"{d['call_id']}/{d['stage']}",
            speaker=speaker,
            conversation_id=d["call_id"],
            text="",
            meta={"stage": d["stage"], "cohort": d["cohort"], "sentences": d["sentences"]},
        )
        for d in documents
    ]
    corpus = Corpus(utterances=utterances)
    build_seconds = time.perf_counter() - started
    by_stage = defaultdict(list)
    for d in documents:
        by_stage[d["stage"]].append(d["sentences"])

    analyzer = lambda document: ngrams(document, max_words)
    results, fit_seconds, prior_seconds = {}, 0.0, 0.0
    for stage, stage_documents in sorted(by_stage.items()):
        started = time.perf_counter()
        # The informative prior: each kept phrase's count over every call of the stage.
        vectorizer = CountVectorizer(analyzer=analyzer, binary=True, min_df=min_calls)
        counts = vectorizer.fit_transform(stage_documents)
        vocabulary = vectorizer.vocabulary_
        prior = prior_scale * np.asarray(counts.sum(axis=0)).ravel().astype(float)
        prior_seconds += time.perf_counter() - started
        started = time.perf_counter()
        fw = FightingWords(
            obj_type="utterance",
            text_func=lambda utterance: utterance.meta["sentences"],
            cv=CountVectorizer(analyzer=analyzer, binary=True, vocabulary=vocabulary),
            prior=prior,
        )
        try:
            fw.fit(
                corpus,
                class1_func=lambda u, stage=stage: u.meta["stage"] == stage and u.meta["cohort"] == "top",
                class2_func=lambda u, stage=stage: u.meta["stage"] == stage and u.meta["cohort"] == "bottom",
            )
        except ValueError as error:  # a stage without one of the cohorts
            print(f"{stage}: {error}", file=sys.stderr)
            continue
        fit_seconds += time.perf_counter() - started
        results[stage] = fw.ngram_zscores

    compared, differences, missing = 0, [], []
    for stage, found in ours["stages"].items():
        for d in found["winning"] + found["losing"]:
            if len(d["phrase"].split(" ")) > max_words:
                continue  # joined from overlapping windows: no single n-gram to compare with
            z = results.get(stage, {}).get(d["phrase"])
            if z is None:
                missing.append((stage, d["phrase"]))
                continue
            compared += 1
            differences.append(abs(z - d["z"]))
    return {
        "documents": len(documents),
        "corpus_build_seconds": build_seconds,
        "prior_seconds": prior_seconds,
        "fit_seconds": fit_seconds,
        "phrases_compared": compared,
        "max_abs_z_difference": max(differences) if differences else None,
        "phrases_missing_in_convokit": missing[:20],
    }


def covered(spans, start, end):
    marked = set()
    for span_start, span_end in spans:
        marked.update(range(span_start, span_end))
    return all(position in marked for position in range(start, end))


def pii_recall(sim_dir, hindsight):
    calls = {}
    for line in open(os.path.join(sim_dir, "calls.jsonl")):
        call = json.loads(line)
        calls[call["id"]] = call
    truth = json.load(open(os.path.join(sim_dir, "truth.json")))
    kinds = {"email", "phone", "phone_spoken", "card", "ssn"}
    plants = [p for p in truth["pii"] if p["kind"] in kinds]
    texts = sorted({(p["call_id"], p["turn"]) for p in plants})
    text_of = {key: calls[key[0]]["turns"][key[1]]["text"] for key in texts}
    ordered = [text_of[key] for key in texts]

    started = time.perf_counter()
    output = subprocess.run(
        [hindsight, "redact", "--format", "json"],
        input="".join(json.dumps({"text": text}) + "\n" for text in ordered),
        check=True, capture_output=True, text=True,
    ).stdout
    ours_seconds = time.perf_counter() - started
    ours = {}
    for key, line in zip(texts, output.splitlines()):
        ours[key] = [(span["start"], span["end"]) for span in json.loads(line)["spans"]]

    import spacy
    import tldextract

    # Presidio's email recognizer asks tldextract for the public-suffix list, which would fetch it
    # from the network; use the snapshot the package ships instead.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    blank = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "blank_en")
    spacy.blank("en").to_disk(blank)
    engine = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": blank}],
    }).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
    entities = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS"]
    started = time.perf_counter()
    theirs = {key: [(r.start, r.end) for r in analyzer.analyze(text=text_of[key], entities=entities, language="en")] for key in texts}
    presidio_seconds = time.perf_counter() - started

    recall = defaultdict(lambda: {"planted": 0, "hindsight": 0, "presidio": 0})
    for plant in plants:
        key = (plant["call_id"], plant["turn"])
        start = text_of[key].find(plant["value"])
        row = recall[plant["kind"]]
        row["planted"] += 1
        row["hindsight"] += covered(ours[key], start, start + len(plant["value"]))
        row["presidio"] += covered(theirs[key], start, start + len(plant["value"]))
    return {
        "texts": len(texts),
        "hindsight_seconds": ours_seconds,
        "presidio_seconds": presidio_seconds,
        "recall": dict(recall),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--hindsight", default="target/release/hindsight")
    parser.add_argument("--work", default="bench/results/work")
    args = parser.parse_args()
    sim_dir, export_dir = os.path.join(args.work, "sim"), os.path.join(args.work, "export")
    run([args.hindsight, "simulate", "--out", sim_dir, "--calls", str(args.calls),
         "--leads", str(max(args.calls // 10, 100)), "--seed", str(args.seed), "--json"])
    bench = json.loads(run([args.hindsight, "bench", "excellence", "--sim", sim_dir, "--export", export_dir, "--json"]))
    ours = json.load(open(os.path.join(export_dir, "differentiators.json")))
    params = ours["params"]
    # ConvoKit reports progress on stdout; keep stdout for the result.
    with contextlib.redirect_stdout(sys.stderr):
        convokit = fighting_words(
            os.path.join(export_dir, "corpus.jsonl"), ours, params["min_calls"], params["prior_scale"], params["max_words"])
        pii = pii_recall(sim_dir, args.hindsight)
    result = {"calls": args.calls, "hindsight_excellence": bench, "convokit_fighting_words": convokit, "pii": pii}
    text = json.dumps(result, indent=2)
    print(text)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", f"excellence_peers_{args.calls}.json"), "w") as out:
        out.write(text + "\n")


if __name__ == "__main__":
    main()
