import { Label, Select } from "@medusajs/ui"

/** One option of a select. */
export interface Option {
  value: string
  label: string
}

/** `Object.entries` of a label map as select options. */
export function optionsOf(labels: Record<string, string>): Option[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label }))
}

/** A labelled `@medusajs/ui` select. */
export function SelectField({
  id,
  label,
  value,
  onChange,
  options,
  placeholder,
  size = "base",
}: {
  id: string
  label?: string
  value: string
  onChange: (value: string) => void
  options: Option[]
  placeholder?: string
  size?: "base" | "small"
}) {
  return (
    <div className="flex flex-col gap-y-2">
      {label && (
        <Label htmlFor={id} size="small" weight="plus">
          {label}
        </Label>
      )}
      <Select value={value} onValueChange={onChange} size={size}>
        <Select.Trigger id={id} data-testid={`select-${id}`}>
          <Select.Value placeholder={placeholder} />
        </Select.Trigger>
        <Select.Content>
          {options.map((option) => (
            <Select.Item key={option.value} value={option.value}>
              {option.label}
            </Select.Item>
          ))}
        </Select.Content>
      </Select>
    </div>
  )
}
