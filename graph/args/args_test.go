package args

import "testing"

func TestMobile(t *testing.T) {
	for s, ok := range map[string]bool{"9876543210": true, "+919876543210": false, "98765 4321": false, "987654321": false} {
		if err := Mobile("m", s); (err == nil) != ok {
			t.Errorf("Mobile(%q) = %v, want ok %v", s, err, ok)
		}
	}
}
