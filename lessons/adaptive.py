"""Lessons of "Adaptive Learning Rate": the valley, Adagrad, RMSProp, Adam, warm-up."""

LESSONS = ()
