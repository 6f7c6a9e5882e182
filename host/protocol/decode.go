package protocol

import (
	"fmt"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// decodeParams decodes a method's params object into *dst, a struct whose
// fields say by their `wire` tags which member each reads:
//
//	Reader string `wire:"reader,nonempty,max=256"`
//	ChainID uint64 `wire:"chainId,required"`
//
// The strictness is the protocol's (docs/host-protocol.md): members no tag
// names are refused, and names match exactly, so a case variant is an
// unknown member; a member twice and a null member are refused. A field's
// type says how its value is read:
//
//	string      a JSON string, at most max bytes (default maxStringLen)
//	uint64      an integer JavaScript represents exactly, spelt plainly
//	[]byte      the bytes of a JSON string, at most max bytes; with the
//	            option hex, "0x" and hex digits of at most max bytes; with
//	            sha256, 64 hex digits; with array, a JSON array of at most
//	            max bytes, as sent (a copy); with object, a JSON object, as
//	            a slice of the message (cleared with it)
//	*big.Int    a JSON-RPC quantity of at most 256 bits
//	[]T, T a struct   an array of min to max objects, each read by T's tags
//	anything with a decodeMember method (PIN, Address, EthFee): its own
//	reading
//
// max and min are numbers or the names of the protocol's limits
// (MaxCalls, MaxMessageLen, …). A struct with a setDefaults method gets it
// called once its members are read.
//
// Errors are BAD_REQUEST naming the member, e.g. "params.calls[0].to".
// Params must be present: a method with only optional members decodes a
// missing params object as {} itself.
func decodeParams(params []byte, dst any) *Error {
	_, err := decodeParamsSeen(params, dst)
	return err
}

// decodeParamsSeen is decodeParams that also says which members were
// present, for methods whose members depend on one another.
func decodeParamsSeen(params []byte, dst any) (map[string]bool, *Error) {
	if params == nil {
		return nil, badField("params", "required field missing")
	}
	ms, err := members(params, "params")
	if err != nil {
		return nil, err
	}
	return decodeMembersInto(ms, "params", reflect.ValueOf(dst).Elem())
}

// decodeStruct reads the object data into the struct v.
func decodeStruct(data []byte, field string, v reflect.Value) *Error {
	ms, err := members(data, field)
	if err != nil {
		return err
	}
	_, err = decodeMembersInto(ms, field, v)
	return err
}

// decodeMembersInto reads an object already split into members into the
// struct v, and says which members it had.
func decodeMembersInto(ms []member, field string, v reflect.Value) (seen map[string]bool, err *Error) {
	fields := fieldsOf(v.Type())
	seen = make(map[string]bool, len(ms))
	for _, m := range ms {
		f, ok := fields.byName[m.name]
		if !ok {
			return seen, badField(join(field, m.name), "unknown field")
		}
		seen[m.name] = true
		if kindOf(m.value) == "null" {
			return seen, badField(join(field, m.name), "must not be null")
		}
		if err := decodeValue(join(field, m.name), m.value, v.FieldByIndex(f.index), f.opts); err != nil {
			return seen, err
		}
	}
	for _, f := range fields.ordered {
		if f.opts.required && !seen[f.name] {
			return seen, badField(join(field, f.name), "required field missing")
		}
	}
	if d, ok := v.Addr().Interface().(interface{ setDefaults() }); ok {
		d.setDefaults()
	}
	return seen, nil
}

// memberDecoder is a type that reads its own member.
type memberDecoder interface {
	decodeMember(field string, raw []byte, opts wireOptions) *Error
}

var bigIntType = reflect.TypeFor[*big.Int]()

// decodeValue reads one member's value into v, by v's type.
func decodeValue(field string, raw []byte, v reflect.Value, opts wireOptions) *Error {
	if d, ok := v.Addr().Interface().(memberDecoder); ok {
		return d.decodeMember(field, raw, opts)
	}
	switch {
	case v.Type() == bigIntType:
		n := new(big.Int)
		if err := decodeQuantity(field, raw, n); err != nil {
			return err
		}
		v.Set(reflect.ValueOf(n))
		return nil
	case v.Kind() == reflect.String:
		var s string
		if err := stringInto(&s, opts.maxOr(maxStringLen))(field, raw); err != nil {
			return err
		}
		if opts.nonempty && s == "" {
			return badField(field, "empty; omit it instead")
		}
		v.SetString(s)
		return nil
	case v.Kind() == reflect.Uint64:
		var n uint64
		if err := uintInto(&n)(field, raw); err != nil {
			return err
		}
		v.SetUint(n)
		return nil
	case v.Kind() == reflect.Bool:
		// JSON's true or false, nothing that merely reads as one.
		switch string(raw) {
		case "true", "false":
			v.SetBool(string(raw) == "true")
			return nil
		}
		return badField(field, "not true or false")
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8:
		var b []byte
		var err *Error
		switch {
		case opts.hex:
			err = hexInto(&b, opts.maxOr(maxStringLen))(field, raw)
		case opts.sha256:
			err = sha256Into(&b)(field, raw)
		case opts.array:
			err = arrayInto(&b, opts.maxOr(maxStringLen))(field, raw)
		case opts.object:
			if raw[0] != '{' {
				return badField(field, "want an object, got %s", kindOf(raw))
			}
			b = raw
		default:
			var s string
			err = stringInto(&s, opts.maxOr(maxStringLen))(field, raw)
			b = []byte(s)
		}
		if err != nil {
			return err
		}
		v.SetBytes(b)
		return nil
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct:
		els, err := elements(raw, field)
		if err != nil {
			return err
		}
		if len(els) < opts.min || opts.max > 0 && len(els) > opts.max {
			return badField(field, "want %d to %d elements, got %d", opts.min, opts.max, len(els))
		}
		out := reflect.MakeSlice(v.Type(), len(els), len(els))
		for i, el := range els {
			if err := decodeStruct(el, fmt.Sprintf("%s[%d]", field, i), out.Index(i)); err != nil {
				return err
			}
		}
		v.Set(out)
		return nil
	}
	// A struct field of a type the decoder does not know is a bug here,
	// not in the request.
	panic(fmt.Sprintf("protocol: no wire reading for %s (%s)", field, v.Type()))
}

// wireField is one tagged field of a params struct.
type wireField struct {
	name  string
	index []int // reflect.Value.FieldByIndex: embedded structs' fields too
	opts  wireOptions
}

// wireOptions are a `wire` tag's options after the member's name.
type wireOptions struct {
	required, nonempty         bool
	hex, sha256, array, object bool // readings of a []byte
	min, max                   int
}

// limits are the named limits a tag may use for min and max.
var limits = map[string]int{
	"MaxCalls":         MaxCalls,
	"MaxMessageLen":    MaxMessageLen,
	"MaxTypedDataLen":  MaxTypedDataLen,
	"MaxRPCParamsLen":  MaxRPCParamsLen,
	"maxCallDataLen":   maxCallDataLen,
	"maxRPCMethodLen":  maxRPCMethodLen,
	"maxReaderNameLen": maxReaderNameLen,
	"maxVersionLen":    maxVersionLen,
	"maxMethodLen":     maxMethodLen,
}

func (o wireOptions) maxOr(def int) int {
	if o.max > 0 {
		return o.max
	}
	return def
}

// orderedFields lists the struct's tagged fields in declaration order,
// which is the order missing required members are reported in; the fields
// of an embedded struct stand where it is embedded.
func orderedFields(t reflect.Type) []wireField {
	var out []wireField
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("wire")
		if !ok {
			if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
				for _, f := range orderedFields(sf.Type) {
					f.index = append([]int{i}, f.index...)
					out = append(out, f)
				}
			}
			continue
		}
		parts := strings.Split(tag, ",")
		f := wireField{name: parts[0], index: []int{i}}
		for _, p := range parts[1:] {
			key, val, _ := strings.Cut(p, "=")
			n, err := strconv.Atoi(val)
			if named, ok := limits[val]; ok {
				n, err = named, nil
			}
			if val != "" && err != nil {
				panic("protocol: unknown limit " + p + " on " + t.Name())
			}
			switch key {
			case "required":
				f.opts.required = true
			case "nonempty":
				f.opts.nonempty = true
			case "hex":
				f.opts.hex = true
			case "sha256":
				f.opts.sha256 = true
			case "array":
				f.opts.array = true
			case "object":
				f.opts.object = true
			case "min":
				f.opts.min = n
			case "max":
				f.opts.max = n
			default:
				panic("protocol: unknown wire tag option " + p + " on " + t.Name())
			}
		}
		out = append(out, f)
	}
	return out
}

// typeFields is what a params struct's tags say, read once per type.
type typeFields struct {
	ordered []wireField
	byName  map[string]wireField
}

var fieldCache sync.Map // reflect.Type -> *typeFields

func fieldsOf(t reflect.Type) *typeFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*typeFields)
	}
	tf := &typeFields{ordered: orderedFields(t), byName: map[string]wireField{}}
	for _, f := range tf.ordered {
		tf.byName[f.name] = f
	}
	fieldCache.Store(t, tf)
	return tf
}
