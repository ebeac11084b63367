"""The forecast: "at this pace 100% on ..., so many days after the deadline", checked
against series small enough to redo by hand (the arithmetic is in the comments).

Plain functions, no database: reports/forecast.py is pure Python."""

import json
from datetime import date, timedelta

import pytest

from reports.forecast import (
    FORECAST_POINTS,
    TAKE_UP_MONTHS,
    GoalForecast,
    SeriesPoint,
    forecast_goal,
    forecast_series,
)

# The noisy series most tests use: x = 0, 10, 20, 30 days, y = 0.40, 0.43, 0.45, 0.49.
#   mean x = 15, mean y = 1.77 / 4 = 0.4425
#   x - mean x = -15, -5, 5, 15                  sum of squares Sxx = 225+25+25+225 = 500
#   y - mean y = -0.0425, -0.0125, 0.0075, 0.0475
#   Sxy = 0.6375 + 0.0625 + 0.0375 + 0.7125 = 1.45
#   slope = 1.45 / 500 = 0.0029 a day (0.087 per 30 days)
#   intercept = 0.4425 - 0.0029 * 15 = 0.399
#   fitted = 0.399, 0.428, 0.457, 0.486; residuals = 0.001, 0.002, -0.007, 0.004
#   sum(residual²) = (1 + 4 + 49 + 16) e-6 = 70e-6
#   se = sqrt(70e-6 / (4 - 2) / 500) = sqrt(7e-8) = 0.00026458
#   slow = 0.0029 - 0.00026458 = 0.00263542, fast = 0.0029 + 0.00026458 = 0.00316458
#   start (fitted on the last day) = 0.486, the last report's own figure 0.49
# To 100%: the gap is 1 - 0.486 = 0.514
#   central 0.514 / 0.0029     = 177.24 -> 178 days after 31 January: 28 July 2025
#   fast    0.514 / 0.00316458 = 162.42 -> 163 days: 13 July 2025
#   slow    0.514 / 0.00263542 = 195.03 -> 196 days: 15 August 2025
# (31 January + 150 days is 30 June: 28 Feb, 31 Mar, 30 Apr, 31 May, 30 Jun.)
NOISY = [
    (date(2025, 1, 1), 0.40),
    (date(2025, 1, 11), 0.43),
    (date(2025, 1, 21), 0.45),
    (date(2025, 1, 31), 0.49),
]


def test_a_perfectly_linear_series_gives_one_exact_date():
    # 0.50, 0.55, 0.60 at x = 0, 10, 20: slope 0.005 a day, no residuals, so se = 0 and
    # the three dates agree. To 100% from 0.60: 0.40 / 0.005 = 80 days after 21 March
    # (10 to the end of March, 30 in April, 31 in May, 9 in June): 9 June 2025. In floats
    # this is 80.00000000000004 days, which must not be rounded up to 81.
    points = [(date(2025, 3, 1), 0.50), (date(2025, 3, 11), 0.55), (date(2025, 3, 21), 0.60)]

    forecast = forecast_goal(points, goal=1.0)

    assert forecast.pace == 0.005
    assert forecast.paces.per_30_days == 0.15
    assert forecast.slow_pace == forecast.fast_pace == 0.005
    assert forecast.start == 0.6
    assert forecast.reaches_on == date(2025, 6, 9)
    assert forecast.earliest == forecast.latest == forecast.reaches_on


def test_a_noisy_series_matches_the_hand_computed_line_and_range():
    forecast = forecast_goal(NOISY, goal=1.0)

    assert forecast.points_used == 4
    assert (forecast.first_day, forecast.last_day) == (date(2025, 1, 1), date(2025, 1, 31))
    assert forecast.pace == 0.0029
    assert forecast.slow_pace == 0.0026354
    assert forecast.fast_pace == 0.0031646
    # Per 30 days: 0.0029 * 30 = 0.087; 0.00263542 * 30 = 0.0791; 0.00316458 * 30 = 0.0949.
    assert forecast.paces.per_30_days == 0.087
    assert forecast.paces.slow_per_30_days == 0.0791
    assert forecast.paces.fast_per_30_days == 0.0949
    assert forecast.start == 0.486
    assert forecast.last_actual == 0.49
    assert forecast.already_met is False
    assert forecast.reaches_on == date(2025, 7, 28)
    assert forecast.earliest == date(2025, 7, 13)
    assert forecast.latest == date(2025, 8, 15)


def test_the_forecast_starts_from_the_fitted_value_not_the_last_report():
    # From the last report's 0.49 it would be 0.51 / 0.0029 = 175.86 -> 176 days: 26 July.
    # From the line's 0.486 it is 178 days: 28 July. One report a little above the line
    # does not pull the date forward.
    forecast = forecast_goal(NOISY, goal=1.0)

    assert forecast.reaches_on == date(2025, 1, 31) + timedelta(days=178)
    assert forecast.reaches_on != date(2025, 1, 31) + timedelta(days=176)


def test_a_deadline_before_the_forecast_date_is_missed_by_the_days_between():
    # Reached 28 July, deadline 30 June: 28 days late. The pace needed goes from the last
    # report's 0.49 over the 150 days from 31 January to 30 June:
    # (1 - 0.49) / 150 = 0.0034 a day, 0.102 per 30 days.
    forecast = forecast_goal(NOISY, goal=1.0, deadline=date(2025, 6, 30))

    assert forecast.deadline == date(2025, 6, 30)
    assert forecast.days_late == 28
    assert forecast.needed_pace == 0.0034
    assert forecast.needed_pace_per_30_days == 0.102
    assert forecast.overdue is False


def test_a_deadline_after_the_forecast_date_is_met_early_by_negative_days():
    # Reached 28 July, deadline 31 August: 3 days of July left + 31 of August = 34 early.
    forecast = forecast_goal(NOISY, goal=1.0, deadline=date(2025, 8, 31))

    assert forecast.days_late == -34
    assert forecast.overdue is False


def test_a_deadline_on_or_before_the_last_report_is_overdue_with_no_pace_to_ask():
    for deadline in (date(2025, 1, 31), date(2024, 12, 31)):
        forecast = forecast_goal(NOISY, goal=1.0, deadline=deadline)

        assert forecast.overdue is True
        assert forecast.needed_pace is None
        assert forecast.needed_pace_per_30_days is None
        # Still said how late: 28 July - deadline.
        assert forecast.days_late == (date(2025, 7, 28) - deadline).days


def test_a_flat_share_reaches_nothing_at_this_pace():
    points = [(date(2025, 1, 1), 0.5), (date(2025, 2, 1), 0.5), (date(2025, 3, 1), 0.5)]

    forecast = forecast_goal(points, goal=1.0, deadline=date(2025, 12, 31))

    assert forecast.pace == 0
    assert forecast.reaches_on is None
    assert forecast.earliest is None
    assert forecast.latest is None
    assert forecast.days_late is None
    # The deadline is still ahead, so there is a pace to ask for:
    # (1 - 0.5) / 305 days from 1 March to 31 December = 0.0016393.
    assert forecast.needed_pace == 0.0016393


def test_a_falling_share_reaches_nothing_at_this_pace():
    points = [(date(2025, 1, 1), 0.6), (date(2025, 1, 11), 0.55), (date(2025, 1, 21), 0.5)]

    forecast = forecast_goal(points, goal=1.0)

    assert forecast.pace == -0.005
    assert forecast.reaches_on is None
    assert forecast.earliest is None
    assert forecast.latest is None


def test_a_slow_pace_of_zero_or_less_leaves_no_latest_date():
    # x = 0, 10, 20, 30; y = 0.50, 0.52, 0.49, 0.52: mean y = 2.03 / 4 = 0.5075
    #   Sxy = (-15)(-0.0075) + (-5)(0.0125) + 5(-0.0175) + 15(0.0125) = 0.15, Sxx = 500
    #   slope = 0.0003; intercept = 0.5075 - 0.0045 = 0.503; fitted 0.503 ... 0.512
    #   residuals -0.003, 0.014, -0.019, 0.008: squares (9 + 196 + 361 + 64) e-6 = 630e-6
    #   se = sqrt(630e-6 / 2 / 500) = 0.00079373 > slope, so the slow pace is below zero.
    #   central: (1 - 0.512) / 0.0003 = 1626.67 -> 1627 days after 31 January
    #   fast: 0.488 / 0.00109373 = 446.18 -> 447 days after 31 January
    points = [
        (date(2025, 1, 1), 0.50),
        (date(2025, 1, 11), 0.52),
        (date(2025, 1, 21), 0.49),
        (date(2025, 1, 31), 0.52),
    ]

    forecast = forecast_goal(points, goal=1.0)

    assert forecast.pace == 0.0003
    assert forecast.slow_pace == -0.0004937
    assert forecast.reaches_on == date(2025, 1, 31) + timedelta(days=1627)
    assert forecast.earliest == date(2025, 1, 31) + timedelta(days=447)
    assert forecast.latest is None


def test_a_pace_too_slow_to_get_there_within_a_century_gives_no_date():
    # 0.000001 a day: 0.5 / 0.000001 = 500,000 days, some 1,370 years.
    points = [(date(2025, 1, 1), 0.5), (date(2025, 1, 11), 0.50001), (date(2025, 1, 21), 0.50002)]

    forecast = forecast_goal(points, goal=1.0)

    assert forecast.pace == 0.000001
    assert forecast.reaches_on is None


def test_a_goal_the_last_report_already_meets_needs_no_dates():
    # The last report says 0.49; a goal of 0.45 is met even though the line's
    # 0.486 says so too and the deadline is long past.
    forecast = forecast_goal(NOISY, goal=0.45, deadline=date(2024, 12, 31))

    assert forecast.already_met is True
    assert forecast.reaches_on is None
    assert forecast.earliest is None
    assert forecast.latest is None
    assert forecast.days_late is None
    assert forecast.needed_pace is None
    assert forecast.overdue is False


def test_a_goal_met_exactly_by_the_last_report_counts_as_met():
    assert forecast_goal(NOISY, goal=0.49).already_met is True
    assert forecast_goal(NOISY, goal=0.4901).already_met is False


def test_a_date_given_twice_keeps_its_last_value_and_none_values_are_dropped():
    # The same four points as NOISY once the 0.99 for 11 January is replaced by the later
    # 0.43, and the two None values (a report with no figure) are left out; unsorted too.
    points = [
        (date(2025, 1, 31), 0.49),
        (date(2025, 1, 11), 0.99),
        (date(2025, 1, 1), 0.40),
        (date(2025, 1, 16), None),
        (date(2025, 1, 11), 0.43),
        (date(2025, 1, 21), 0.45),
        (date(2025, 1, 21), None),
    ]

    assert forecast_goal(points, goal=1.0) == forecast_goal(NOISY, goal=1.0)


def test_fewer_than_three_reports_give_no_forecast():
    two = NOISY[:2]
    three_with_one_empty = [*NOISY[:2], (date(2025, 1, 21), None)]
    three_on_two_dates = [*NOISY[:2], (date(2025, 1, 11), 0.44)]

    assert forecast_goal([], goal=1.0) is None
    assert forecast_goal(two, goal=1.0) is None
    assert forecast_goal(three_with_one_empty, goal=1.0) is None
    assert forecast_goal(three_on_two_dates, goal=1.0) is None
    assert forecast_goal(NOISY[:3], goal=1.0) is not None


def test_only_the_last_six_reports_set_the_pace():
    # Two early reports far off the line (0.90 and 0.10), then six on a straight line:
    # 0.50, 0.51, ..., 0.55 every 10 days, slope 0.001 a day. Only the six count, so the
    # fit is exact: from 0.55 to 0.65 is 0.10 / 0.001 = 100 days after the last report.
    # With all eight, 0.90 and 0.10 tip the line over: a pace of -0.00018 a day.
    early = [(date(2025, 1, 1), 0.90), (date(2025, 1, 11), 0.10)]
    straight = [(date(2025, 1, 21) + timedelta(days=10 * i), 0.50 + 0.01 * i) for i in range(6)]
    last_day = straight[-1][0]  # 12 March 2025

    forecast = forecast_goal(early + straight, goal=0.65)

    assert FORECAST_POINTS == 6
    assert forecast.points_used == 6
    assert forecast.first_day == date(2025, 1, 21)
    assert forecast.pace == 0.001
    assert forecast.reaches_on == last_day + timedelta(days=100)
    assert forecast.earliest == forecast.latest == forecast.reaches_on
    assert forecast_goal(early + straight, goal=0.65, window=8).pace < 0


def test_the_window_can_be_narrowed_by_keyword():
    # The last three of NOISY: x = 0, 10, 20 (from 11 January), y = 0.43, 0.45, 0.49
    #   mean y = 1.37 / 3 = 0.456667; Sxx = 100 + 0 + 100 = 200
    #   Sxy = (-10)(-0.026667) + 0 + 10(0.033333) = 0.6; slope = 0.003 a day
    #   start = 0.456667 + 0.003 * 10 = 0.486667 -> 0.4867
    forecast = forecast_goal(NOISY, goal=1.0, window=3)

    assert forecast.points_used == 3
    assert forecast.first_day == date(2025, 1, 11)
    assert forecast.pace == 0.003
    assert forecast.start == 0.4867


def test_a_window_shorter_than_three_is_refused():
    with pytest.raises(ValueError, match="at least 3"):
        forecast_goal(NOISY, goal=1.0, window=2)


def test_a_goal_forecast_freezes_into_json_and_back():
    forecast = forecast_goal(NOISY, goal=1.0, deadline=date(2025, 6, 30))

    data = json.loads(json.dumps(forecast.as_dict()))

    assert data == {
        "goal": 1.0,
        "points_used": 4,
        "first_day": "2025-01-01",
        "last_day": "2025-01-31",
        "start": 0.486,
        "last_actual": 0.49,
        "pace": 0.0029,
        "slow_pace": 0.0026354,
        "fast_pace": 0.0031646,
        "already_met": False,
        "reaches_on": "2025-07-28",
        "earliest": "2025-07-13",
        "latest": "2025-08-15",
        "deadline": "2025-06-30",
        "days_late": 28,
        "needed_pace": 0.0034,
        "overdue": False,
        "pace_per_30_days": 0.087,
        "slow_pace_per_30_days": 0.0791,
        "fast_pace_per_30_days": 0.0949,
        "needed_pace_per_30_days": 0.102,
    }
    assert GoalForecast.from_dict(data) == forecast


def test_a_forecast_with_no_dates_freezes_its_nones():
    flat = [(date(2025, 1, 1), 0.5), (date(2025, 2, 1), 0.5), (date(2025, 3, 1), 0.5)]
    forecast = forecast_goal(flat, goal=1.0)

    data = json.loads(json.dumps(forecast.as_dict()))

    assert data["reaches_on"] is None
    assert data["deadline"] is None
    assert data["needed_pace_per_30_days"] is None
    assert GoalForecast.from_dict(data) == forecast


# Take-up, monthly: x counts months. August to November 2025, y = 0.78, 0.83, 0.86, 0.90
#   x = 0, 1, 2, 3; mean x = 1.5, Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5
#   mean y = 3.37 / 4 = 0.8425; y - mean y = -0.0625, -0.0125, 0.0175, 0.0575
#   Sxy = 0.09375 + 0.00625 + 0.00875 + 0.08625 = 0.195; slope = 0.039 a month
#   intercept = 0.8425 - 0.039 * 1.5 = 0.784; fitted 0.784, 0.823, 0.862, 0.901
#   residuals -0.004, 0.007, -0.002, -0.001: squares (16 + 49 + 4 + 1) e-6 = 70e-6
#   se = sqrt(70e-6 / 2 / 5) = sqrt(7e-6) = 0.0026458; slow 0.0363542, fast 0.0416458
#   December (1 month on):  0.901 + 0.039 = 0.940, low 0.9374, high 0.9426
#   January  (2 months on): 0.901 + 0.078 = 0.979, low 0.9737, high 0.9843
#   February (3 months on): 1.018, low 1.0101, high 1.0259: all held at 1.0, as after.
TAKE_UP = [
    (date(2025, 8, 1), 0.78),
    (date(2025, 9, 1), 0.83),
    (date(2025, 10, 1), 0.86),
    (date(2025, 11, 1), 0.90),
]


def test_take_up_is_forecast_month_by_month_across_the_new_year_up_to_one():
    forecast = forecast_series(TAKE_UP)

    assert forecast == [
        SeriesPoint(month=date(2025, 12, 1), value=0.94, low=0.9374, high=0.9426),
        SeriesPoint(month=date(2026, 1, 1), value=0.979, low=0.9737, high=0.9843),
        SeriesPoint(month=date(2026, 2, 1), value=1.0, low=1.0, high=1.0),
        SeriesPoint(month=date(2026, 3, 1), value=1.0, low=1.0, high=1.0),
        SeriesPoint(month=date(2026, 4, 1), value=1.0, low=1.0, high=1.0),
        SeriesPoint(month=date(2026, 5, 1), value=1.0, low=1.0, high=1.0),
    ]


def test_falling_take_up_is_held_at_zero():
    # January to March 2025, y = 0.30, 0.22, 0.10 at x = 0, 1, 2
    #   mean y = 0.62 / 3 = 0.206667; Sxy = (-1)(0.093333) + 0 + 1(-0.106667) = -0.2
    #   Sxx = 2, slope = -0.1 a month; start = 0.206667 - 0.1 = 0.106667
    #   residuals -0.006667, 0.013333, -0.006667: sum of squares 0.00026667
    #   se = sqrt(0.00026667 / 1 / 2) = 0.011547; slow -0.111547, fast -0.088453
    #   April: 0.006667 -> 0.0067, low -0.0049 -> 0.0, high 0.0182
    #   May: -0.0933 -> 0.0, low 0.0, high -0.0702 -> 0.0
    points = [(date(2025, 1, 1), 0.30), (date(2025, 2, 1), 0.22), (date(2025, 3, 1), 0.10)]

    forecast = forecast_series(points, months=2)

    assert forecast == [
        SeriesPoint(month=date(2025, 4, 1), value=0.0067, low=0.0, high=0.0182),
        SeriesPoint(month=date(2025, 5, 1), value=0.0, low=0.0, high=0.0),
    ]


def test_take_up_reads_any_day_as_its_month_and_a_repeated_month_keeps_its_last_value():
    points = [
        (date(2025, 8, 1), 0.78),
        (date(2025, 9, 14), 0.83),
        (date(2025, 10, 1), 0.50),
        (date(2025, 10, 31), 0.86),  # the same October: replaces the 0.50
        (date(2025, 11, 1), 0.90),
    ]

    assert forecast_series(points) == forecast_series(TAKE_UP)


def test_take_up_uses_its_last_twelve_months():
    # A flat year at 0.5 (slope 0, se 0: the next month is 0.5 exactly), after two months
    # at 0.0 that would tilt the line upwards if they counted.
    early = [(date(2023, 11, 1), 0.0), (date(2023, 12, 1), 0.0)]
    flat_year = [(date(2024, month, 1), 0.5) for month in range(1, 13)]

    forecast = forecast_series(early + flat_year, months=1)

    assert TAKE_UP_MONTHS == 12
    assert forecast == [SeriesPoint(month=date(2025, 1, 1), value=0.5, low=0.5, high=0.5)]


def test_take_up_with_fewer_than_three_months_gives_no_forecast():
    assert forecast_series(TAKE_UP[:2]) is None
    assert forecast_series([*TAKE_UP[:2], (date(2025, 10, 1), None)]) is None


def test_a_series_point_freezes_into_json_and_back():
    point = forecast_series(TAKE_UP, months=1)[0]

    data = json.loads(json.dumps(point.as_dict()))

    assert data == {"month": "2025-12-01", "value": 0.94, "low": 0.9374, "high": 0.9426}
    assert SeriesPoint.from_dict(data) == point
