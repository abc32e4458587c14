"""The summary of a WordPress import: what it did, counted by kind."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ImportReport:
    """What an import did, by kind, for the summary printed at the end."""

    posts: int = 0
    pages: int = 0
    drafts: int = 0
    scheduled: int = 0
    authors: int = 0
    sections: int = 0
    attachments: int = 0
    files_copied: int = 0
    markdown_bodies: int = 0
    html_bodies: int = 0
    redirects: int = 0
    comments: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    unknown_shortcodes: Counter[str] = field(default_factory=Counter)
    missing: list[str] = field(default_factory=list)
    shadowed: list[str] = field(default_factory=list)
    uploads_given: bool = True

    def lines(self) -> list[str]:
        """The summary, one line per fact; the same import always gives the same lines."""
        out = [
            f"imported {self.posts} posts ({self.scheduled} scheduled) and {self.pages} pages; "
            f"{self.drafts} of them drafts",
            f"{self.authors} authors, {self.sections} sections, {self.attachments} attachments, "
            f"{self.files_copied} files copied",
            f"bodies: {self.markdown_bodies} as Markdown, {self.html_bodies} kept as HTML",
            f"{self.redirects} old URLs redirected",
        ]
        for reason, count in sorted(self.skipped.items()):
            out.append(f"skipped {count} {reason}")
        if self.comments:
            out.append(f"skipped {self.comments} comments (newsgen has none)")
        for name, count in sorted(self.unknown_shortcodes.items()):
            out.append(f"unknown shortcode [{name}] kept as text {count} time(s)")
        if not self.uploads_given:
            out.append("no --uploads given: files were not copied and keep their old URLs")
        for missing in self.missing:
            out.append(f"missing: {missing}")
        for old in self.shadowed:
            out.append(f"not redirected: {old} (a new page has that URL)")
        return out
