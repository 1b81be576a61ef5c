"""Charts that read at a glance (issue 16): fitted funnel axes, outliers named, every bar labelled."""

from __future__ import annotations

from careties.web import charts


def _funnel(values):
    limit_x = [10, 100, 1000]
    limits = {
        "upper_99_8": [120.0, 12.0, 8.0],
        "lower_99_8": [0.0, 2.0, 3.0],
        "upper_95": [60.0, 10.0, 7.0],
        "lower_95": [0.0, 3.0, 4.0],
    }
    return charts.funnel_chart(
        [100, 100, 1000],
        values,
        ["A81001", "A81002", "A81003"],
        limits,
        limit_x,
        5.0,
        title="Funnel",
        x_title="Patients",
        y_title="Rate",
    )


def test_funnel_axis_fits_the_practices_not_the_limits():
    figure = _funnel([6.0, 7.0, 5.5])
    assert figure["layout"]["yaxis"]["range"] == [0, 7.0 * 1.2]  # not 120, the widest limit


def test_points_outside_the_limits_are_coloured_and_named():
    figure = _funnel([14.0, 1.0, 5.5])  # above 12 at 100; below 2 at 100
    by_name = {trace["name"]: trace for trace in figure["data"]}
    assert by_name["Above the 99.8% limit"]["text"] == ["A81001"]
    assert by_name["Above the 99.8% limit"]["mode"] == "markers+text"
    assert by_name["Below the 99.8% limit"]["text"] == ["A81002"]
    assert by_name["Practices"]["text"] == ["A81003"]
    assert (
        by_name["Above the 99.8% limit"]["marker"]["color"]
        != by_name["Practices"]["marker"]["color"]
    )


def test_every_bar_is_labelled():
    names = [f"Practice number {i}" for i in range(40)]
    figure = charts.bar_chart(names, {"Admissions": list(range(40))}, title="Bars")
    axis = figure["layout"]["yaxis"]
    assert axis["tickmode"] == "array" and axis["ticktext"] == names
    assert figure["layout"]["height"] >= 40 * 22
