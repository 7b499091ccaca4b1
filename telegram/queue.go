package telegram

import "sync"

// maxWaiting is how many updates of one conversation may wait their turn;
// beyond it someone is flooding, and the excess is dropped.
const maxWaiting = 16

// queues run the jobs of each conversation in order, one at a time, and
// different conversations side by side: a turn reads and writes its
// session, so two turns of one session must not overlap, and a chat waiting
// out its rate limit must not hold up the others.
type queues struct {
	mu    sync.Mutex
	byKey map[string][]func()
	wg    sync.WaitGroup
}

func newQueues() *queues { return &queues{byKey: map[string][]func(){}} }

// push queues a job for a conversation, starting a worker for it if none
// runs. It reports false, dropping the job, when too many are waiting.
func (q *queues) push(key string, job func()) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	waiting, running := q.byKey[key]
	if len(waiting) >= maxWaiting {
		return false
	}
	q.byKey[key] = append(waiting, job)
	if !running {
		q.wg.Add(1)
		go q.work(key)
	}
	return true
}

// work runs a conversation's jobs until none is left. The key stays in
// the map, with an empty list, for as long as the worker runs.
func (q *queues) work(key string) {
	defer q.wg.Done()
	for {
		q.mu.Lock()
		jobs := q.byKey[key]
		if len(jobs) == 0 {
			delete(q.byKey, key)
			q.mu.Unlock()
			return
		}
		job := jobs[0]
		q.byKey[key] = jobs[1:]
		q.mu.Unlock()
		job()
	}
}

// wait blocks until every worker has finished.
func (q *queues) wait() { q.wg.Wait() }
