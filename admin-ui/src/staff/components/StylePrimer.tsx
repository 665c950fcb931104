/**
 * One hidden instance of each control a record form draws, mounted by the staff shell once the
 * page is idle and kept for the session. antd (cssinjs) builds a component's CSS — the style
 * object, stylis, a `<style>` element — when its first instance mounts, and drops it from its
 * cache when the last one unmounts, so every form opened from a list built its controls' styles
 * again: ~35 ms of main-thread time in a 50-field form's first render on a 2-core machine
 * (issue 9). Held here, they are built once, in idle time, off the path of any form. A lazy
 * chunk: nothing of it is in the first load of /app.
 */
import { Card, DatePicker, Form, Input, InputNumber, Select, Switch } from 'antd';

export default function StylePrimer() {
  return (
    <div hidden aria-hidden data-testid="style-primer">
      <Form component={false} layout="vertical">
        <Card size="small">
          <Form.Item label="-" tooltip="-">
            <Input />
          </Form.Item>
          <Input.TextArea rows={2} />
          <InputNumber />
          <Select />
          <DatePicker />
          <Switch />
        </Card>
      </Form>
    </div>
  );
}
