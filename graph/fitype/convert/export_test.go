package convert

import "reflect"

// Pairs returns the recorded top-level conversions as (fi type, model type).
func Pairs() [][2]reflect.Type {
	out := make([][2]reflect.Type, len(conversions))
	for i, c := range conversions {
		out[i] = [2]reflect.Type{c.src, c.dst}
	}
	return out
}

// Apply converts src into dst (both struct values) by their plan.
func Apply(src, dst reflect.Value) { apply(planFor(src.Type(), dst.Type()), src, dst) }

// FilledByHand reports whether the plugin of model type typeName fills field itself.
func FilledByHand(typeName, field string) bool { return contains(filledByHand[typeName], field) }
