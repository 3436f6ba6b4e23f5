"""How dates, times and numbers are shown in Vietnamese: the one place for display formats.

Pages use these through `|date:"DATETIME_FORMAT"` and friends, PDFs through `motcua.core.formatting`.
Dates are day first everywhere ("02/12/2026 08:30"); APIs keep ISO 8601 and do not use these.
"""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# Seconds first: a form shows a stored time with its seconds, so saving it unchanged changes nothing.
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
