"""Placeholder: replaced by the dedup work (within-run and cross-run deduplication)."""


class DedupPipeline:
    def process_item(self, item):
        return item
