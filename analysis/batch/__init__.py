"""Batch execution: a run's requests through providers' batch endpoints at the batch price.

``run_batch(config, store, settings, BatchOptions(...))`` collects a run's finished batches,
submits its pending samples (OpenAI Batch API, Anthropic Message Batches) and ingests the
answers through the runner's executor; ``write_batch_file`` writes the requests for vLLM's
``run-batch`` and ``import_batch`` brings its results back. See docs/scale-out.md.
"""

from __future__ import annotations
