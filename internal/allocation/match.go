// Package allocation matches approved applicants to vacant units. Its core
// is a pure maximum-weight assignment: all vacancies and applicants at
// once, optimal rather than greedy per vacancy.
package allocation

// Pair is an allowed applicant–unit pair and its score. Indices refer to
// the applicant and unit lists of the problem.
type Pair struct {
	Applicant, Unit int
	Score           float64
}

// Assignment is a pair the solution chose.
type Assignment = Pair

// Solve finds a set of pairs in which each applicant and each unit is used
// at most once and the sum of the scores is as large as possible. Scores
// must be finite and non-negative (Check makes sure of that).
//
// It is the shortest-augmenting-path method of Jonker and Volgenant on a
// sparse graph: units are rows, applicants are columns, a pair costs minus
// its score, and every unit has a private "stay vacant" column of cost 0,
// so that every row can be assigned and leaving a unit empty is a choice.
// Each unit is added in turn by a Dijkstra search over reduced costs that
// stops at the first free column, so the work follows the competition for
// each unit, not the size of the whole problem.
func Solve(applicants, units int, pairs []Pair) []Assignment {
	costs := make([]float64, len(pairs))
	for i, p := range pairs {
		costs[i] = -p.Score
	}
	return solve(applicants, units, pairs, 1, costs)
}

// SolvePriorityFirst places as many applicants of the highest priority as
// possible, then as many of the next priority as possible, and so on, and
// only then maximises the scores: a strict lexicographic objective. Costs
// are vectors (one place per priority level, then the score), compared
// from the highest level down, so no weight can overflow however many
// levels there are.
func SolvePriorityFirst(priorities []float64, units int, pairs []Pair) []Assignment {
	levels := map[float64]int{}
	for _, p := range priorities {
		levels[p] = 0
	}
	distinct := make([]float64, 0, len(levels))
	for p := range levels {
		distinct = append(distinct, p)
	}
	sortStable(distinct, func(a, b float64) bool { return a > b })
	for rank, p := range distinct {
		levels[p] = rank
	}
	k := len(distinct) + 1
	costs := make([]float64, len(pairs)*k)
	for i, p := range pairs {
		costs[i*k+levels[priorities[p.Applicant]]] = -1
		costs[i*k+k-1] = -p.Score
	}
	return solve(len(priorities), units, pairs, k, costs)
}

// solve runs the assignment with cost vectors of k places per pair.
func solve(applicants, units int, pairs []Pair, k int, costs []float64) []Assignment {
	s := newSolver(applicants, units, pairs, k, costs)
	for row := 0; row < units; row++ {
		s.augment(row)
	}
	var out []Assignment
	for row, col := range s.rowCol {
		if col < applicants {
			out = append(out, pairs[s.origin[s.rowEdge[row]]])
		}
	}
	return out
}

type solver struct {
	applicants, k int
	// The rows' edges in CSR form: row r's edges are start[r]..start[r+1]
	// in col and cost (k places each), followed by its vacancy column.
	start  []int
	col    []int
	cost   []float64
	origin []int // the pair each edge came from

	v       []float64 // column potentials, k places each
	colRow  []int     // the row a column is assigned to, or -1
	rowCol  []int     // the column a row is assigned to
	rowEdge []int     // the edge index of each row's assignment

	// Dijkstra state, reset lazily by generation.
	dist    []float64 // k places each
	pred    []int     // the row a column was reached from
	predE   []int     // the edge it was reached by
	seen    []uint32
	done    []uint32
	gen     uint32
	scanned []int
	queue   colHeap
	tmp, u  []float64
}

func newSolver(applicants, units int, pairs []Pair, k int, costs []float64) *solver {
	cols := applicants + units
	s := &solver{applicants: applicants, k: k, start: make([]int, units+1)}
	for _, p := range pairs {
		s.start[p.Unit+1]++
	}
	for r := 0; r < units; r++ {
		s.start[r+1] += s.start[r] + 1 // +1: the vacancy column
	}
	edges := s.start[units]
	s.col, s.cost, s.origin = make([]int, edges), make([]float64, edges*k), make([]int, edges)
	fill := append([]int(nil), s.start[:units]...)
	for i, p := range pairs {
		e := fill[p.Unit]
		s.col[e], s.origin[e] = p.Applicant, i
		copy(s.cost[e*k:(e+1)*k], costs[i*k:(i+1)*k])
		fill[p.Unit]++
	}
	for r := 0; r < units; r++ {
		s.col[fill[r]], s.origin[fill[r]] = applicants+r, -1
	}
	s.v = make([]float64, cols*k)
	s.colRow = make([]int, cols)
	for j := range s.colRow {
		s.colRow[j] = -1
	}
	s.rowCol, s.rowEdge = make([]int, units), make([]int, units)
	s.dist, s.pred, s.predE = make([]float64, cols*k), make([]int, cols), make([]int, cols)
	s.seen, s.done = make([]uint32, cols), make([]uint32, cols)
	s.tmp, s.u = make([]float64, k), make([]float64, k)
	s.queue.k = k
	return s
}

// less compares two cost vectors from the first place.
func less(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// augment assigns row f along a shortest augmenting path.
func (s *solver) augment(f int) {
	k := s.k
	s.gen++
	s.scanned = s.scanned[:0]
	s.queue.reset()
	clear(s.u)
	s.relaxRow(f, nil, s.u)
	for len(s.queue.items) > 0 {
		j := s.queue.pop()
		if s.done[j] == s.gen {
			continue // a stale entry: settled already
		}
		s.done[j] = s.gen
		s.scanned = append(s.scanned, j)
		d := s.dist[j*k : (j+1)*k]
		if s.colRow[j] < 0 {
			// Free column: move the potentials of the columns settled on
			// the way, then flip the path.
			for _, c := range s.scanned {
				for x := 0; x < k; x++ {
					s.v[c*k+x] += s.dist[c*k+x] - d[x]
				}
			}
			for {
				i, e := s.pred[j], s.predE[j]
				prev := s.rowCol[i]
				s.colRow[j], s.rowCol[i], s.rowEdge[i] = i, j, e
				if i == f {
					return
				}
				j = prev
			}
		}
		i := s.colRow[j]
		e := s.rowEdge[i]
		for x := 0; x < k; x++ { // the row's potential: its own edge has reduced cost 0
			s.u[x] = s.cost[e*k+x] - s.v[j*k+x]
		}
		s.relaxRow(i, d, s.u)
	}
	panic("allocation: no augmenting path; the vacancy column makes one always exist")
}

// relaxRow offers the columns of row i at distance base (nil for zero),
// with the row's potential u.
func (s *solver) relaxRow(i int, base, u []float64) {
	k := s.k
	nd := s.tmp
	for e := s.start[i]; e < s.start[i+1]; e++ {
		c := s.col[e]
		if s.done[c] == s.gen {
			continue
		}
		for x := 0; x < k; x++ {
			nd[x] = s.cost[e*k+x] - s.v[c*k+x] - u[x]
			if base != nil {
				nd[x] += base[x]
			}
		}
		if s.seen[c] != s.gen || less(nd, s.dist[c*k:(c+1)*k]) {
			s.seen[c], s.pred[c], s.predE[c] = s.gen, i, e
			copy(s.dist[c*k:(c+1)*k], nd)
			s.queue.push(c, nd)
		}
	}
}

// colHeap orders columns by the distance they were pushed with; the key
// is copied into an arena, so a column pushed again with a shorter distance
// leaves a stale entry that keeps its own key and is skipped once the
// column is settled.
type colHeap struct {
	items []heapItem
	keys  []float64 // the arena, k places per entry, reset each search
	k     int
}

type heapItem struct{ col, key int }

func (h *colHeap) reset() { h.items, h.keys = h.items[:0], h.keys[:0] }

func (h *colHeap) push(col int, key []float64) {
	h.keys = append(h.keys, key...)
	h.items = append(h.items, heapItem{col, len(h.keys) - h.k})
	for i := len(h.items) - 1; i > 0; { // sift up
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			break
		}
		h.items[i], h.items[parent] = h.items[parent], h.items[i]
		i = parent
	}
}

// pop removes the nearest column.
func (h *colHeap) pop() int {
	top := h.items[0].col
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	for i := 0; ; { // sift down
		l, r, m := 2*i+1, 2*i+2, i
		if l < last && h.less(l, m) {
			m = l
		}
		if r < last && h.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
	return top
}

func (h *colHeap) less(a, b int) bool {
	ia, ib := h.items[a], h.items[b]
	da, db := h.keys[ia.key:ia.key+h.k], h.keys[ib.key:ib.key+h.k]
	if less(da, db) {
		return true
	}
	return !less(db, da) && ia.col < ib.col // deterministic among equals
}

// Total is the sum of the assignments' scores.
func Total(as []Assignment) float64 {
	var t float64
	for _, a := range as {
		t += a.Score
	}
	return t
}

// Greedy is what a greedy pick by priority does: applicants in order of
// priority (highest first, then as listed) each take their best-scoring
// unit that is still free. It is the baseline the optimal round is
// compared with.
func Greedy(priorities []float64, units int, pairs []Pair) []Assignment {
	byApplicant := make([][]Pair, len(priorities))
	for _, p := range pairs {
		byApplicant[p.Applicant] = append(byApplicant[p.Applicant], p)
	}
	order := make([]int, len(priorities))
	for i := range order {
		order[i] = i
	}
	sortStable(order, func(a, b int) bool { return priorities[a] > priorities[b] })
	taken := make([]bool, units)
	var out []Assignment
	for _, a := range order {
		best := -1
		for i, p := range byApplicant[a] {
			if !taken[p.Unit] && (best < 0 || p.Score > byApplicant[a][best].Score) {
				best = i
			}
		}
		if best >= 0 {
			taken[byApplicant[a][best].Unit] = true
			out = append(out, byApplicant[a][best])
		}
	}
	return out
}
