package gorillaconn

import "hash/maphash"

// padSeed keys pad: unknown outside the process, so an observer cannot
// predict the padding of a message.
var padSeed = maphash.MakeSeed()

// pad appends 0 to 31 bytes of JSON whitespace to a message about to be
// compressed, chosen by a keyed hash of its content: the same message always
// gets the same padding (repeating it tells nothing new), and a message's
// compressed length says less about its content. It is what gzhttp's
// RandomJitter does for the HTTP answers (compress.go), against
// BREACH-style guessing where one message carries both data an attacker
// chose (a transaction narration) and data they want (a holder's name).
// JSON allows whitespace after a value, so every client reads the message
// unchanged.
func pad(data []byte) []byte {
	h := maphash.Bytes(padSeed, data)
	n := int(h & 31)
	const ws = " \t\n\r"
	for i := range n {
		data = append(data, ws[(h>>(5+2*(i%29)))&3])
	}
	return data
}
