/** The API screen, loaded on first visit: integration keys, then the reference rendered from the caller's OpenAPI document. */
import { Space } from 'antd';
import { ApiKeys } from './ApiKeys';
import { ApiReference } from './ApiReference';

export default function Api() {
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <ApiKeys />
      <ApiReference />
    </Space>
  );
}
