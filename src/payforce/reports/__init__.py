"""Report renderers (Markdown, HTML, PDF) and chart specs; each render returns text or bytes."""
