import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { readStageSettings } from '../../infra/lib/constructs/stage-settings.ts';

const read = (context: Record<string, unknown>) => readStageSettings((key) => context[key]);

describe('readStageSettings', () => {
  it('has defaults that deploy as they are', () => {
    expect(read({})).toEqual({
      stage: 'dev',
      stackName: 'turnpike-dev',
      secretPrefix: 'turnpike/dev/virtual-keys/',
      analyticsRateMinutes: 60,
      logRetentionDays: RetentionDays.ONE_MONTH,
      requestLogRetentionDays: 30,
      allowedOrigins: [],
      alarmEmail: undefined,
      gatewayReservedConcurrency: undefined,
      gatewayTimeoutSeconds: 300,
      gatewayMemoryMb: 1024,
      latencyP99AlarmMs: 30_000,
      upstreamErrorRateAlarmPercent: 10,
      retainData: true,
    });
  });

  it('derives names from the stage', () => {
    expect(read({ 'turnpike:stage': 'prod' })).toEqual(
      expect.objectContaining({ stackName: 'turnpike-prod', secretPrefix: 'turnpike/prod/virtual-keys/' }),
    );
  });

  it('accepts -c strings as well as cdk.json values', () => {
    const settings = read({
      'turnpike:analyticsRateMinutes': '5',
      'turnpike:allowedOrigins': 'https://a.example.com, https://b.example.com',
      'turnpike:retainData': 'false',
      'turnpike:gatewayReservedConcurrency': 50,
    });
    expect(settings).toEqual(
      expect.objectContaining({
        analyticsRateMinutes: 5,
        allowedOrigins: ['https://a.example.com', 'https://b.example.com'],
        retainData: false,
        gatewayReservedConcurrency: 50,
      }),
    );
  });

  it('treats an empty value as unset', () => {
    expect(read({ 'turnpike:alarmEmail': '', 'turnpike:stage': '' })).toEqual(expect.objectContaining({ alarmEmail: undefined, stage: 'dev' }));
  });

  it.each([
    ['turnpike:stage', 'Prod_1', /turnpike:stage must match/],
    ['turnpike:secretPrefix', 'turnpike/no-slash', /turnpike:secretPrefix must match/],
    ['turnpike:analyticsRateMinutes', '0', /from 1 to 1440/],
    ['turnpike:analyticsRateMinutes', 'hourly', /whole number/],
    ['turnpike:gatewayTimeoutSeconds', 901, /from 3 to 900/],
    ['turnpike:logRetentionDays', 10, /retention periods/],
    ['turnpike:allowedOrigins', ['https://a.example.com/path'], /list of origins/],
    ['turnpike:alarmEmail', 'not-an-address', /turnpike:alarmEmail/],
    ['turnpike:retainData', 'yes', /true or false/],
  ])('rejects %s = %j', (key, value, message) => {
    expect(() => read({ [key]: value })).toThrow(message);
  });
});
