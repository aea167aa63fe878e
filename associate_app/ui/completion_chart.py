"""The chart of one push-task's completion over its life: finished, reached and converted targets by day.

The series are ``dashboard_history.task_history`` (Qt-free, tested without a display); this module only
draws them. The date axis runs to HQ's due date, so the manager sees at a glance how much time is left
for what is still open; a dashed line marks the task's number of targets.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDate, QDateTime, QMargins, QPointF, Qt, QTime
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from associate_app.domain.dashboard_history import TaskHistory
from associate_app.ui.style import MUTED, OK, PRIMARY

FINISHED_COLOUR = "#93c5fd"


def msecs(day: dt.date) -> float:
    """Local midnight of ``day`` on the chart's time axis."""
    return float(QDateTime(QDate(day.year, day.month, day.day), QTime(0, 0)).toMSecsSinceEpoch())


class CompletionChart(QChartView):
    """``show_history(history, title)`` redraws; ``clear_history()`` leaves an empty, titled chart."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("completionChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.history: TaskHistory | None = None
        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setBackgroundRoundness(6)
        self.series: dict[str, QLineSeries] = {}
        # "finished" includes every "reached" (plus wrong numbers), so the two often coincide: finished is
        # drawn wide and light underneath, so both stay visible.
        for key, name, colour, width in (("closed", self.tr("Finished"), FINISHED_COLOUR, 7.0),
                                         ("contacted", self.tr("Reached"), PRIMARY, 2.5),
                                         ("converted", self.tr("Converted"), OK, 2.5)):
            series = QLineSeries(name=name)
            series.setPen(QPen(QColor(colour), width))
            series.setPointsVisible(key != "closed")
            chart.addSeries(series)
            self.series[key] = series
        self.ceiling = QLineSeries(name=self.tr("Targets"))
        self.ceiling.setPen(QPen(QColor(MUTED), 1.2, Qt.PenStyle.DashLine))
        chart.addSeries(self.ceiling)
        self.days = QDateTimeAxis()
        self.days.setFormat("MM-dd")
        self.counts = QValueAxis()
        self.counts.setLabelFormat("%d")
        chart.addAxis(self.days, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.counts, Qt.AlignmentFlag.AlignLeft)
        for series in [*self.series.values(), self.ceiling]:
            series.attachAxis(self.days)
            series.attachAxis(self.counts)
        self.setChart(chart)
        self.clear_history()

    def show_history(self, history: TaskHistory, title: str) -> None:
        self.history = history
        self.chart().setTitle(self.tr("Completion over time · {0}").format(title))
        for key, series in self.series.items():
            series.replace([_point(p.day, getattr(p, key)) for p in history.days])
        last_day = max(history.due or history.last.day, history.last.day)
        self.ceiling.replace([_point(history.start, history.total), _point(last_day, history.total)])
        end = max(last_day, history.start + dt.timedelta(days=1))
        self.days.setRange(QDateTime.fromMSecsSinceEpoch(int(msecs(history.start))),
                           QDateTime.fromMSecsSinceEpoch(int(msecs(end))))
        self.days.setTickCount(min(max((end - history.start).days + 1, 2), 8))
        self.counts.setRange(0, max(history.total, 1))
        self.counts.applyNiceNumbers()

    def clear_history(self) -> None:
        self.history = None
        self.chart().setTitle(self.tr("Completion over time: select a push-task"))
        for series in [*self.series.values(), self.ceiling]:
            series.clear()

    def values(self, key: str) -> list[int]:
        """The drawn counts of one series, by day (for tests)."""
        return [round(p.y()) for p in self.series[key].points()]


def _point(day: dt.date, value: int) -> QPointF:
    return QPointF(msecs(day), value)
