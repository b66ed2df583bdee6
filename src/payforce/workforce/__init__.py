"""Workforce: role resolution from free text, pivot paths, labour-market history and backtest."""
