#!/usr/bin/python3
"""fbs_gen.py SCHEMA.fbs OUT_DIR PREFIX

Generates C enums, reflection tables and typed accessors from a flatbuffers schema
(the subset of the .fbs grammar TFLite's schema uses: enum, union, table, root_type,
file_identifier, attributes, scalar/string/vector/table/union fields, defaults).

Writes OUT_DIR/<PREFIX>_schema.h and OUT_DIR/<PREFIX>_schema.c for the runtime's
src/format layer (see src/format/flatbuf.h for the reflection types). Output is
deterministic; CI regenerates it and fails on any difference.
Usage: tools/gen/fbs_gen.py ../shared/spec/tflite_schema.fbs src/format tflite
"""
import os
import re
import sys

SCALARS = {
    'bool': ('TFLC_FB_BOOL', 'bool', 'bool', 1),
    'byte': ('TFLC_FB_I8', 'int8_t', 'i8', 1), 'int8': ('TFLC_FB_I8', 'int8_t', 'i8', 1),
    'ubyte': ('TFLC_FB_U8', 'uint8_t', 'u8', 1), 'uint8': ('TFLC_FB_U8', 'uint8_t', 'u8', 1),
    'short': ('TFLC_FB_I16', 'int16_t', 'i16', 2), 'int16': ('TFLC_FB_I16', 'int16_t', 'i16', 2),
    'ushort': ('TFLC_FB_U16', 'uint16_t', 'u16', 2), 'uint16': ('TFLC_FB_U16', 'uint16_t', 'u16', 2),
    'int': ('TFLC_FB_I32', 'int32_t', 'i32', 4), 'int32': ('TFLC_FB_I32', 'int32_t', 'i32', 4),
    'uint': ('TFLC_FB_U32', 'uint32_t', 'u32', 4), 'uint32': ('TFLC_FB_U32', 'uint32_t', 'u32', 4),
    'long': ('TFLC_FB_I64', 'int64_t', 'i64', 8), 'int64': ('TFLC_FB_I64', 'int64_t', 'i64', 8),
    'ulong': ('TFLC_FB_U64', 'uint64_t', 'u64', 8), 'uint64': ('TFLC_FB_U64', 'uint64_t', 'u64', 8),
    'float': ('TFLC_FB_F32', 'float', 'f32', 4), 'float32': ('TFLC_FB_F32', 'float', 'f32', 4),
    'double': ('TFLC_FB_F64', 'double', 'f64', 8), 'float64': ('TFLC_FB_F64', 'double', 'f64', 8),
}


def die(msg):
    sys.stderr.write('fbs_gen: error: %s\n' % msg)
    sys.exit(1)


def snake(name):
    out = ''
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0:
            prev = name[i - 1]
            nxt = name[i + 1] if i + 1 < len(name) else ''
            if prev.islower() or (prev.isupper() and nxt.islower()):
                out += '_'
        out += ch.lower()
    return out


def tokenize(text):
    text = re.sub(r'//[^\n]*', '', text)
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    return re.findall(r'"[^"]*"|[A-Za-z_][A-Za-z0-9_.]*|-?[0-9][0-9A-Za-z_.+-]*|[{}()\[\]:;,=]', text)


class Parser:
    def __init__(self, toks):
        self.t = toks
        self.i = 0

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def next(self):
        if self.i >= len(self.t):
            die('unexpected end of schema')
        self.i += 1
        return self.t[self.i - 1]

    def expect(self, s):
        tok = self.next()
        if tok != s:
            die('expected %r, got %r' % (s, tok))

    def attrs(self):
        out = {}
        if self.peek() == '(':
            self.next()
            while self.peek() != ')':
                k = self.next()
                v = True
                if self.peek() == ':':
                    self.next()
                    v = self.next()
                out[k] = v
                if self.peek() == ',':
                    self.next()
            self.next()
        return out


def parse(path):
    p = Parser(tokenize(open(path).read()))
    enums, unions, tables = [], [], []
    ident, root = None, None
    while p.peek() is not None:
        kw = p.next()
        if kw == 'namespace':
            p.next(); p.expect(';')
        elif kw in ('file_identifier', 'file_extension'):
            v = p.next().strip('"'); p.expect(';')
            if kw == 'file_identifier':
                ident = v
        elif kw == 'attribute':
            p.next(); p.expect(';')
        elif kw == 'root_type':
            root = p.next(); p.expect(';')
        elif kw == 'include':
            die('include is not supported')
        elif kw == 'enum':
            name = p.next(); p.expect(':'); base = p.next(); p.attrs(); p.expect('{')
            vals, cur = [], -1
            while p.peek() != '}':
                vn = p.next()
                if p.peek() == '=':
                    p.next(); cur = int(p.next(), 0)
                else:
                    cur += 1
                a = p.attrs()
                vals.append((vn, cur, 'deprecated' in a))
                if p.peek() == ',':
                    p.next()
            p.next()
            enums.append({'name': name, 'base': base, 'values': vals})
        elif kw == 'union':
            name = p.next(); p.attrs(); p.expect('{')
            mem = []
            while p.peek() != '}':
                m = p.next()
                if p.peek() == ':':  # alias: member_name : Type
                    p.next(); m = p.next()
                p.attrs()
                mem.append(m)
                if p.peek() == ',':
                    p.next()
            p.next()
            unions.append({'name': name, 'members': mem})
        elif kw in ('table', 'struct'):
            if kw == 'struct':
                die('structs are not supported (the TFLite schema has none)')
            name = p.next(); ta = p.attrs(); p.expect('{')
            fields = []
            while p.peek() != '}':
                fn = p.next(); p.expect(':')
                vec = False
                if p.peek() == '[':
                    p.next(); ty = p.next(); p.expect(']'); vec = True
                else:
                    ty = p.next()
                dflt = None
                if p.peek() == '=':
                    p.next(); dflt = p.next()
                a = p.attrs()
                p.expect(';')
                fields.append({'name': fn, 'type': ty, 'vec': vec, 'default': dflt, 'attrs': a})
            p.next()
            tables.append({'name': name, 'fields': fields, 'deprecated': 'deprecated' in ta})
        else:
            die('unexpected token %r' % kw)
    return ident, root, enums, unions, tables


def cnum(v, ctype):
    if ctype in ('float', 'double'):
        s = repr(float(v))
        return s + ('f' if ctype == 'float' else '')
    if ctype == 'bool':
        return 'true' if v else 'false'
    if ctype in ('int64_t',):
        return '(int64_t)%dLL' % v
    if ctype in ('uint64_t',):
        return '(uint64_t)%dULL' % v
    if ctype == 'uint32_t':
        return '%du' % v
    return '%d' % v


# Ops whose options table is not named after the op (TFLite's flatbuffer_conversions).
OPTION_EXCEPTIONS = {
    'AVERAGE_POOL_2D': 'Pool2DOptions', 'MAX_POOL_2D': 'Pool2DOptions', 'L2_POOL_2D': 'Pool2DOptions',
    'MEAN': 'ReducerOptions', 'SUM': 'ReducerOptions', 'REDUCE_MAX': 'ReducerOptions',
    'REDUCE_MIN': 'ReducerOptions', 'REDUCE_PROD': 'ReducerOptions', 'REDUCE_ANY': 'ReducerOptions',
    'REDUCE_ALL': 'ReducerOptions', 'UNIDIRECTIONAL_SEQUENCE_RNN': 'SequenceRNNOptions',
    'MAXIMUM': 'MaximumMinimumOptions', 'MINIMUM': 'MaximumMinimumOptions',
    'L2_NORMALIZATION': 'L2NormOptions', 'CONV_3D_TRANSPOSE': 'Conv3DOptions',
    'RANDOM_STANDARD_NORMAL': 'RandomOptions', 'RANDOM_UNIFORM': 'RandomOptions', 'MULTINOMIAL': 'RandomOptions',
}


def tflite_extras(enums, unions, hdr, src_lines, P, PU):
    """TFLite-specific tables: op-name strings and the BuiltinOptions member each op expects."""
    ops = [e for e in enums if e['name'] == 'BuiltinOperator'][0]['values']
    members = [u for u in unions if u['name'] == 'BuiltinOptions'][0]['members']
    by_norm = {m[:-len('Options')].lower(): i + 1 for i, m in enumerate(members) if m.endswith('Options')}
    by_name = {m: i + 1 for i, m in enumerate(members)}
    n = max(v for _, v, _ in ops) + 1
    expect = ['255'] * n
    for name, v, _ in ops:
        if name in OPTION_EXCEPTIONS:
            expect[v] = str(by_name[OPTION_EXCEPTIONS[name]])
        else:
            k = name.replace('_', '').lower()
            if k in by_norm:
                expect[v] = str(by_norm[k])
    hdr.insert(len(hdr) - 1, '/* BuiltinOptions discriminator each builtin op carries (255 = not known here).')
    hdr.insert(len(hdr) - 1, ' * Derived from the schema by name, plus the exceptions in tools/gen/fbs_gen.py. */')
    hdr.insert(len(hdr) - 1, 'extern const uint8_t %s_builtin_options_of_op[%s_BUILTIN_OPERATOR_COUNT];' % (P, PU))
    hdr.insert(len(hdr) - 1, '')
    w = src_lines.append
    w('')
    w('const uint8_t %s_builtin_options_of_op[%s_BUILTIN_OPERATOR_COUNT] = {' % (P, PU))
    for i in range(0, n, 16):
        w('    ' + ', '.join(expect[i:i + 16]) + ',')
    w('};')


def main():
    if len(sys.argv) != 4:
        die('usage: fbs_gen.py SCHEMA.fbs OUT_DIR PREFIX')
    src, outdir, prefix = sys.argv[1:]
    ident, root, enums, unions, tables = parse(src)
    P = 'tflc_' + {'tflite': 'tfl'}.get(prefix, prefix)
    PU = P.upper()
    enum_idx = {e['name']: i for i, e in enumerate(enums)}
    union_idx = {u['name']: i for i, u in enumerate(unions)}
    table_idx = {t['name']: i for i, t in enumerate(tables)}
    if root not in table_idx:
        die('root_type %s is not a table' % root)

    # Resolve fields: each union field takes two slots (type, value).
    for t in tables:
        fid = 0
        res = []
        for f in t['fields']:
            ty = f['type']
            dep = 1 if 'deprecated' in f['attrs'] else 0
            if 'id' in f['attrs']:
                die('explicit field ids are not supported')
            align = int(f['attrs'].get('force_align', 0))
            if ty in union_idx and not f['vec']:
                res.append(dict(name=f['name'] + '_type', id=fid, kind='TFLC_FB_UNION_TYPE', vec=0, dep=dep,
                                align=0, ref=union_idx[ty], ctype='uint8_t', ld='u8', dflt=0, enum=None,
                                union=ty))
                res.append(dict(name=f['name'], id=fid + 1, kind='TFLC_FB_UNION', vec=0, dep=dep, align=0,
                                ref=union_idx[ty], ctype=None, ld=None, dflt=0, enum=None, union=ty))
                fid += 2
                continue
            e = None
            base = ty
            if ty in enum_idx:
                e = enums[enum_idx[ty]]
                base = e['base']
            if base in SCALARS:
                kind, ctype, ld, _ = SCALARS[base]
                ref = enum_idx[ty] if e else -1
                dv = 0
                if f['default'] is not None and not f['vec']:
                    d = f['default']
                    if e:
                        names = {n: v for n, v, _ in e['values']}
                        if d in names:
                            dv = names[d]
                        else:
                            dv = int(d, 0)
                    elif ctype == 'bool':
                        dv = 1 if d == 'true' else 0
                    elif ctype in ('float', 'double'):
                        dv = float(d)
                    else:
                        dv = int(d, 0)
                res.append(dict(name=f['name'], id=fid, kind=kind, vec=1 if f['vec'] else 0, dep=dep,
                                align=align, ref=ref, ctype=ctype, ld=ld, dflt=dv, enum=ty if e else None,
                                union=None))
            elif ty == 'string':
                res.append(dict(name=f['name'], id=fid, kind='TFLC_FB_STRING', vec=1 if f['vec'] else 0,
                                dep=dep, align=align, ref=-1, ctype=None, ld=None, dflt=0, enum=None, union=None))
            elif ty in table_idx:
                res.append(dict(name=f['name'], id=fid, kind='TFLC_FB_TABLE', vec=1 if f['vec'] else 0,
                                dep=dep, align=align, ref=table_idx[ty], ctype=None, ld=None, dflt=0,
                                enum=None, union=None))
            else:
                die('table %s field %s: unknown type %s' % (t['name'], f['name'], ty))
            fid += 1
        t['res'] = res

    hdr = []
    w = hdr.append
    guard = '%s_SCHEMA_H' % PU
    w('/* Generated by tools/gen/fbs_gen.py from %s. Do not edit. */' % os.path.basename(src))
    w('#ifndef %s' % guard)
    w('#define %s' % guard)
    w('')
    w('#include "format/flatbuf.h"')
    w('')
    w('#define %s_FILE_IDENTIFIER "%s"' % (PU, ident or ''))
    w('')
    seen_syms = set()

    def sym(s):
        if s in seen_syms:
            die('generated symbol collision: %s' % s)
        seen_syms.add(s)
        return s

    # enums
    w('/* ---- enums ---- */')
    for e in enums:
        en = snake(e['name'])
        w('enum %s_%s {' % (P, en))
        mx = -1
        for vn, v, dep in e['values']:
            w('    %s = %d,%s' % (sym('%s_%s_%s' % (PU, en.upper(), vn.upper())), v, ' /* deprecated */' if dep else ''))
            mx = max(mx, v)
        w('    %s = %d' % (sym('%s_%s_COUNT' % (PU, en.upper())), mx + 1))
        w('};')
    w('')
    w('/* ---- union discriminators ---- */')
    for u in unions:
        un = snake(u['name'])
        w('enum %s_%s_type {' % (P, un))
        w('    %s = 0,' % sym('%s_%s_NONE' % (PU, un.upper())))
        for i, m in enumerate(u['members']):
            w('    %s = %d,' % (sym('%s_%s_%s' % (PU, un.upper(), snake(m).upper())), i + 1))
        w('    %s = %d' % (sym('%s_%s_COUNT' % (PU, un.upper())), len(u['members']) + 1))
        w('};')
    w('')
    w('/* ---- reflection indices ---- */')
    w('enum %s_table_id {' % P)
    for t in tables:
        w('    %s,' % sym('%s_T_%s' % (PU, snake(t['name']).upper())))
    w('    %s_T_COUNT' % PU)
    w('};')
    w('enum %s_enum_id {' % P)
    for e in enums:
        w('    %s,' % sym('%s_E_%s' % (PU, snake(e['name']).upper())))
    w('    %s_E_COUNT' % PU)
    w('};')
    w('enum %s_union_id {' % P)
    for u in unions:
        w('    %s,' % sym('%s_U_%s' % (PU, snake(u['name']).upper())))
    w('    %s_U_COUNT' % PU)
    w('};')
    w('')
    w('/* The whole schema, for tflc_fb_verify() and generic walkers (copy, JSON). */')
    w('extern const struct tflc_fb_schema %s_schema;' % P)
    w('')
    w('/* Name of an enum value, NULL when the value is not in the schema. */')
    w('const char *%s_enum_name(enum %s_enum_id e, int64_t value);' % (P, P))
    w('')
    w('/* ---- field ids and typed accessors (for verified buffers only) ---- */')
    for t in tables:
        tn = snake(t['name'])
        w('')
        w('/* table %s%s */' % (t['name'], ' (deprecated)' if t['deprecated'] else ''))
        for f in t['res']:
            fn = f['name']
            w('#define %s %d' % (sym('%s_%s_%s' % (PU, tn.upper(), fn.upper())), f['id']))
        for f in t['res']:
            if f['dep']:
                continue
            fn = '%s_%s_%s' % (P, tn, f['name'])
            sym(fn)
            if f['vec']:
                w('static inline struct tflc_fb_vec %s(struct tflc_fb_table t) { return tflc_fb_get_vec(t, %d); }' % (fn, f['id']))
            elif f['kind'] == 'TFLC_FB_STRING':
                w('static inline struct tflc_fb_str %s(struct tflc_fb_table t) { return tflc_fb_get_str(t, %d); }' % (fn, f['id']))
            elif f['kind'] in ('TFLC_FB_TABLE', 'TFLC_FB_UNION'):
                w('static inline struct tflc_fb_table %s(struct tflc_fb_table t) { return tflc_fb_get_table(t, %d); }' % (fn, f['id']))
            elif f['ctype'] == 'bool':
                w('static inline bool %s(struct tflc_fb_table t) { return tflc_fb_get_bool(t, %d, %s); }' % (fn, f['id'], cnum(f['dflt'], 'bool')))
            else:
                w('static inline %s %s(struct tflc_fb_table t) { return tflc_fb_get_%s(t, %d, %s); }' % (
                    f['ctype'], fn, f['ld'], f['id'], cnum(f['dflt'], f['ctype'])))
    w('')
    w('#endif')

    src_lines = []
    w = src_lines.append
    w('/* Generated by tools/gen/fbs_gen.py from %s. Do not edit. */' % os.path.basename(src))
    w('#include "format/%s_schema.h"' % prefix)
    w('')
    for e in enums:
        en = snake(e['name'])
        w('static const int64_t enum_%s_values[] = {%s};' % (en, ', '.join('%d' % v for _, v, _ in e['values'])))
        w('static const char *const enum_%s_names[] = {' % en)
        for vn, _, _ in e['values']:
            w('    "%s",' % vn)
        w('};')
    w('')
    w('static const struct tflc_fb_enum_desc enums[] = {')
    for e in enums:
        en = snake(e['name'])
        w('    {"%s", %d, enum_%s_values, enum_%s_names},' % (e['name'], len(e['values']), en, en))
    w('};')
    w('_Static_assert(sizeof enums / sizeof enums[0] == %s_E_COUNT, "enum table");' % PU)
    w('')
    for u in unions:
        un = snake(u['name'])
        mem = ['-1'] + ['%s_T_%s' % (PU, snake(m).upper()) for m in u['members']]
        w('static const int16_t union_%s_members[] = {%s};' % (un, ', '.join(mem)))
    w('static const struct tflc_fb_union_desc unions[] = {')
    for u in unions:
        un = snake(u['name'])
        w('    {"%s", %d, union_%s_members},' % (u['name'], len(u['members']) + 1, un))
    w('};')
    w('_Static_assert(sizeof unions / sizeof unions[0] == %s_U_COUNT, "union table");' % PU)
    w('')
    for t in tables:
        tn = snake(t['name'])
        if not t['res']:
            continue
        w('static const struct tflc_fb_field fields_%s[] = {' % tn)
        for f in t['res']:
            ref = f['ref']
            if f['kind'] == 'TFLC_FB_TABLE':
                ref = '%s_T_%s' % (PU, snake(tables[f['ref']]['name']).upper())
            elif f['kind'] in ('TFLC_FB_UNION', 'TFLC_FB_UNION_TYPE'):
                ref = '%s_U_%s' % (PU, snake(f['union']).upper())
            elif f['enum']:
                ref = '%s_E_%s' % (PU, snake(f['enum']).upper())
            d = f['dflt']
            ds = repr(float(d)) if isinstance(d, float) else '%d' % d
            w('    {"%s", %d, %s, %d, %d, %d, %s, %s},' % (f['name'], f['id'], f['kind'], f['vec'], f['dep'],
                                                        f['align'], ref, ds))
        w('};')
    w('')
    w('static const struct tflc_fb_table_desc tables[] = {')
    for t in tables:
        tn = snake(t['name'])
        if t['res']:
            w('    {"%s", %d, fields_%s},' % (t['name'], len(t['res']), tn))
        else:
            w('    {"%s", 0, 0},' % t['name'])
    w('};')
    w('_Static_assert(sizeof tables / sizeof tables[0] == %s_T_COUNT, "table table");' % PU)
    w('')
    w('const struct tflc_fb_schema %s_schema = {' % P)
    w('    "%s", %s_T_%s, %s_T_COUNT, %s_U_COUNT, %s_E_COUNT, tables, unions, enums,' % (
        ident or '', PU, snake(root).upper(), PU, PU, PU))
    w('};')
    w('')
    w('const char *%s_enum_name(enum %s_enum_id e, int64_t value) {' % (P, P))
    w('    if ((unsigned)e >= %s_E_COUNT) return 0;' % PU)
    w('    const struct tflc_fb_enum_desc *d = &enums[e];')
    w('    for (unsigned i = 0; i < d->nvalues; i++)')
    w('        if (d->values[i] == value) return d->names[i];')
    w('    return 0;')
    w('}')

    if prefix == 'tflite':
        tflite_extras(enums, unions, hdr, src_lines, P, PU)

    os.makedirs(outdir, exist_ok=True)
    for name, lines in (('%s_schema.h' % prefix, hdr), ('%s_schema.c' % prefix, src_lines)):
        data = '\n'.join(lines) + '\n'
        path = os.path.join(outdir, name)
        old = open(path).read() if os.path.exists(path) else None
        if old != data:
            open(path, 'w').write(data)


if __name__ == '__main__':
    main()
