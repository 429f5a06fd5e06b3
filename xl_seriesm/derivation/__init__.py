"""How each figure was reached, for people reading outside Excel: the terminal table of
``seriesm explain`` and the memo for counsel (``seriesm report``). The explanation of a call
itself (:mod:`xl_seriesm.excel.explain`) sits with the Excel functions, which
``SERIESM_EXPLAIN`` needs in xlwings Lite too."""
