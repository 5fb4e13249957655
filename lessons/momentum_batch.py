"""Lessons of "Batch and Momentum": saddle points, local minima, mini-batches."""

LESSONS = ()
