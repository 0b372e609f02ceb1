"""Counts of the content, for people and for scripts."""

from __future__ import annotations

from .model import CITE, Content, SourceKind, sources_cited_in


def stats(content: Content) -> dict[str, int]:
    """Counts of each content type, of citations, and of the gaps an editor should close."""
    cited: set[str] = {d.source for d in content.datasets}
    citations = 0
    for cite in content.all_citations():
        cited.add(cite.source)
        citations += 1
    facts = {fact.id: fact for fact in content.facts}
    in_text = 0
    for text in content.prose():
        in_text += len(CITE.findall(text))
        cited |= sources_cited_in(text, facts)
    return {
        "facts": len(content.facts),
        "sources": len(content.sources),
        "questions": len(content.questions),
        "citations": citations + in_text,
        "uncited_facts": sum(1 for fact in content.facts if not fact.citations),
        "unused_sources": sum(1 for s in content.sources if s.id not in cited and s.kind is not SourceKind.AGGREGATOR),
        "events": len(content.events),
        "elements": len(content.elements),
        "people": len(content.people),
        "datasets": len(content.datasets),
        "corrections": len(content.corrections),
        "topics": len(content.site.topics),
    }
