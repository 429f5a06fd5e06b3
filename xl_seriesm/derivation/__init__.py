"""How each figure was reached: a function call's derivation (``SERIESM_EXPLAIN``,
``seriesm explain``) and the memo for counsel (``seriesm report``)."""
