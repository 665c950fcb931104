import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Alert, Button, Card, Form, Input, Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import '../consoleI18n';
import { api, ApiError, session } from '../api';
import { consoleLanguage } from '../labels';

interface Credentials { tenant: string; email: string; password: string }

export default function Login() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: Credentials) => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await api<{ token: string }>('/auth/login', { method: 'POST', body: values });
      session.signIn(data.token);
      // Metadata managers land in the console, everyone else in the staff app (the draft is theirs only to read).
      const manager = await api('/api/metadata/draft').then(() => true, () => false);
      navigate(from ?? (manager ? '/objects' : '/app'));
    } catch (e) {
      setError(t('login.failed', { message: e instanceof ApiError ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: '12vh' }}>
      <Card title={t('login.title')} style={{ width: 380 }} extra={
        <Segmented size="small" value={consoleLanguage(i18n.language)} onChange={(l) => void i18n.changeLanguage(String(l))}
          options={[{ value: 'en', label: 'EN' }, { value: 'zh-CN', label: '中文' }]} />
      }>
        <Form<Credentials> layout="vertical" initialValues={{ tenant: 'demo' }} onFinish={submit}>
          <Form.Item name="tenant" label={t('login.tenant')} rules={[{ required: true }]}><Input id="login-tenant" /></Form.Item>
          <Form.Item name="email" label={t('login.email')} rules={[{ required: true }]}><Input id="login-email" type="email" autoComplete="username" /></Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true }]}><Input.Password id="login-password" autoComplete="current-password" /></Form.Item>
          {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={busy}>{t('login.submit')}</Button>
        </Form>
      </Card>
    </div>
  );
}
