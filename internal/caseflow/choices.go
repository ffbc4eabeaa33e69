package caseflow

import "husly/internal/i18n"

// Choice is one code a coded field of the case flow may take (a kind of
// application, a channel, a housing type …). Go keeps the code only: its
// name in bokmål, nynorsk and English is the catalogues' prefix.<code>,
// which the pages name it by.
type Choice struct {
	Code string
	key  string
}

// choices lists codes whose names are the catalogue's prefix.<code>.
func choices(prefix string, codes ...string) []Choice {
	out := make([]Choice, len(codes))
	for i, c := range codes {
		out[i] = Choice{Code: c, key: prefix + "." + c}
	}
	return out
}

// Has reports whether code is one of list's.
func Has(list []Choice, code string) bool {
	for _, x := range list {
		if x.Code == code {
			return true
		}
	}
	return false
}

// Label names a code of list in bokmål, from the catalogue, for letters,
// the command line and logs; "" when the code is not in the list.
func Label(list []Choice, code string) string {
	for _, x := range list {
		if x.Code == code {
			return i18n.T("nb", x.key)
		}
	}
	return ""
}

// labelOr is Label, or the code itself when the list lacks it.
func labelOr(list []Choice, code string) string {
	if l := Label(list, code); l != "" {
		return l
	}
	return code
}
