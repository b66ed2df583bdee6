"""Forecasts: predicted employment change per occupation series, and their backtest."""
