"""Template cap-table workbooks: the inputs, the model of every cell, and the writer."""
