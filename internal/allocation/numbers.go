package allocation

import (
	"strconv"
	"strings"
)

// decimal writes a number the Norwegian way in the bokmål texts the
// engine makes (reasons, minutes): a decimal comma, no trailing zeros.
func decimal(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}

// signed is decimal with its sign, as a score's parts are written: "+10", "-2,5".
func signed(f float64) string {
	if f >= 0 {
		return "+" + decimal(f)
	}
	return decimal(f)
}
