"""Splink reference run for Kanaal's customer-overlap benchmark (scripts/bench-overlap.sh).

Reads DIR/splink.csv (the same fields Kanaal compares, normalised by Kanaal's normaliser, with
relay/placeholder e-mails and proxy phones already removed), deduplicates with Splink 4+ on
DuckDB (u by random sampling, m by EM per blocking rule, no labels), clusters at match
probability 0.5 and writes DIR/splink_clusters.csv (unique_id,cluster_id). Prints the time.
"""

import sys
import time

import pandas as pd
import splink.comparison_library as cl
import splink.comparison_level_library as cll
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

directory = sys.argv[1]
max_pairs = float(sys.argv[2]) if len(sys.argv) > 2 else 2e6

df = pd.read_csv(f"{directory}/splink.csv", dtype=str, keep_default_na=False)
df = df.replace("", None)

def name(col, initial):
    """Kanaal's name levels: equal, Jaro-Winkler >= 0.95, >= 0.88, initials agree, else."""
    return cl.CustomComparison(
        output_column_name=col,
        comparison_levels=[
            cll.NullLevel(initial),
            cll.ExactMatchLevel(col),
            cll.JaroWinklerLevel(col, 0.95),
            cll.JaroWinklerLevel(col, 0.88),
            cll.ExactMatchLevel(initial),
            cll.ElseLevel(),
        ],
    )


settings = SettingsCreator(
    link_type="dedupe_only",
    comparisons=[
        cl.ExactMatch("email"),
        cl.ExactMatch("phone"),
        cl.CustomComparison(
            output_column_name="address",
            comparison_levels=[
                cll.NullLevel("area"),
                cll.And(cll.ExactMatchLevel("postcode"), cll.ExactMatchLevel("house_number")),
                cll.ExactMatchLevel("postcode"),
                cll.ExactMatchLevel("area"),
                cll.ElseLevel(),
            ],
        ),
        name("surname", "surname_initial"),
        name("first_name", "initial"),
    ],
    blocking_rules_to_generate_predictions=[
        block_on("email"),
        block_on("phone"),
        block_on("postcode", "house_number"),
        block_on("surname", "initial"),
        block_on("surname", "area"),
        block_on("first_name", "postcode"),
    ],
    retain_intermediate_calculation_columns=False,
)

start = time.perf_counter()
db_api = DuckDBAPI()
linker = Linker(db_api.register(df), settings, log_level="WARNING")
# Rules without any pair in a data set (no e-mail in FEBRL) are skipped, as Kanaal skips them.
deterministic = [
    rule
    for column, rule in [
        ("email", block_on("email")),
        ("phone", block_on("phone")),
        ("surname", block_on("surname", "first_name", "postcode", "house_number")),
    ]
    if df[column].notna().sum() > 1
]
linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.6)
linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=1)
for rule in [
    block_on("email"),
    block_on("postcode", "house_number"),
    block_on("surname", "initial"),
    block_on("first_name", "postcode"),
]:
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    except Exception as e:  # noqa: BLE001
        print(f"splink: EM rule skipped ({type(e).__name__})", file=sys.stderr)
predictions = linker.inference.predict(threshold_match_probability=0.01)
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
    predictions, threshold_match_probability=0.5
)
out = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
elapsed = time.perf_counter() - start
out.to_csv(f"{directory}/splink_clusters.csv", index=False)
print(f"splink: {len(df)} records matched in {elapsed:.2f} s")
