"""Draw the chart images of docs/user-guide.md from the bundled data.

Run from the repository root: ``python docs/make_images.py``. The images are
examples for the guide, not test baselines; re-run after changing a chart.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

import envtargets
from envtargets.evaluate import evaluate
from envtargets.plot import bullet_chart, dashboard, status_grid, trend_chart

IMAGES = Path(__file__).parent / "images"

# An illustrative series (not from the sources): the bundled data have at most two
# full years per indicator, too few for a Theil–Sen trend.
EXAMPLE_TARGETS = pd.DataFrame(
    {
        "target_id": ["demo-pm25"], "indicator": ["pm25_annual_mean"], "region": ["示例市"],
        "comparator": ["<="], "value": [28.0], "unit": ["微克/立方米"], "target_year": [2025],
        "baseline_year": [2020], "baseline_value": [36.0],
    }
)  # fmt: skip
EXAMPLE_OBSERVATIONS = pd.DataFrame(
    {
        "indicator": "pm25_annual_mean",
        "region": "示例市",
        "period": ["2020", "2021", "2022", "2023", "2024", "2025-01/2025-06"],
        "value": [36.0, 34.2, 32.9, 31.1, 29.6, 30.4],
        "unit": "微克/立方米",
    }
)


def main() -> None:
    """Write bullet, trend, status-grid and dashboard examples into docs/images/."""
    indicators = envtargets.load_indicators()
    targets, observations = envtargets.load_targets(), envtargets.load_observations()
    evaluation = evaluate(targets, observations, indicators)
    observed = evaluation[evaluation["observed_value"].notna()]
    charts = {
        "bullet-zh.png": bullet_chart(evaluation, list(observed["target_id"]), lang="zh"),
        "trend-en.png": trend_chart(
            observations, "pm25_annual_mean", "深圳", targets=evaluation, lang="en"
        ),
        "status-grid-en.png": status_grid(observed, lang="en"),
        "dashboard-zh.png": dashboard(evaluation, "深圳", observations=observations, lang="zh"),
        "trend-example-zh.png": trend_chart(
            EXAMPLE_OBSERVATIONS, "pm25_annual_mean", "示例市",
            targets=evaluate(EXAMPLE_TARGETS, EXAMPLE_OBSERVATIONS, indicators), lang="zh",
        ),
    }  # fmt: skip
    IMAGES.mkdir(exist_ok=True)
    for name, fig in charts.items():
        fig.savefig(IMAGES / name, dpi=90)
        plt.close(fig)


if __name__ == "__main__":
    main()
