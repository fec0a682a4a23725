#!/bin/sh
# The C sources follow .clang-format (docs/STYLE.md, "Layout"): lists each file clang-format
# would change and fails if there is one. Fix with: clang-format -i FILE
cd "$1" || exit 2
files=$(git ls-files 'src/*.[ch]' 'tests/*.[ch]' 'bench/*.[ch]' 2>/dev/null)
[ -n "$files" ] || files=$(find src tests bench -name '*.[ch]' -not -path '*/node_modules/*')
bad=0
for f in $files; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f (clang-format -i $f)"
        bad=1
    fi
done
exit $bad
