"""The worked notebook runs from top to bottom (so it never rots)."""

import nbformat
from nbclient import NotebookClient


def test_the_notebook_executes(repo, tmp_path):
    path = repo / "examples" / "notebooks" / "boneaxis_tour.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "identical to the single-process run" in text
    nbformat.write(nb, tmp_path / "executed.ipynb")
