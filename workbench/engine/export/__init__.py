"""Export a trained model for other runtimes (ONNX, checked with ONNX Runtime).

``onnx_export.export_onnx`` is the entry point (a generator of events, as the trainer's):
``onnx_graph`` turns the model into a graph, ``onnx_runtime`` runs it, ``quantize`` makes
and measures the int8 variant. ``onnx``, ``onnxruntime`` and ``onnxscript`` come with the
``[export]`` extra and are imported only inside the functions that need them.
"""

# What every export folder holds (the run index tells an export from a run by it).
META_FILE = "workbench_onnx.json"
