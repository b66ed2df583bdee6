"""The shared views.

One gathered answer per question, used by the CLI, the web pages, the API and reports.
"""
