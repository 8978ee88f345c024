#!/usr/bin/env ruby
# frozen_string_literal: true

# An SWF activity worker in Ruby for the `ruby-shout` activity of examples/interop.py, speaking
# pyflow's JSON contract: the task's input and the result are JSON text, an error is reported as
# reason (the exception's class name) and details (message and backtrace), and the worker
# heartbeats after each word, which is what the task's heartbeat timeout asks for.
#
# It uses the SWF client of Debian's ruby-aws-sdk package (the v1 SDK, `require 'aws-sdk-v1'`),
# called at the level of SWF's own API so that each call maps to one line of the contract.

require 'aws-sdk-v1'
require 'json'
require 'socket'
require 'uri'

ACTIVITY = { 'name' => 'ruby-shout', 'version' => '1' }.freeze
# SWF's limits: a longer reason or details is refused, so they are cut as pyflow's worker does.
MAX_REASON = 256
MAX_DETAILS = 32_768
MAX_HEARTBEAT_DETAILS = 2048

# Raised out of the work when a heartbeat's answer says the workflow asked to cancel it.
class CancelRequested < StandardError; end

def swf_client
  options = { region: ENV['AWS_REGION'] || ENV['AWS_DEFAULT_REGION'] || 'us-east-1' }
  # The v1 SDK predates AWS_ENDPOINT_URL_SWF, so the variable is honoured here, as every
  # current SDK does, to reach `pyflow local serve`.
  endpoint = ENV['AWS_ENDPOINT_URL_SWF'] || ENV['AWS_ENDPOINT_URL']
  if endpoint
    uri = URI(endpoint)
    options.update(simple_workflow_endpoint: uri.host, simple_workflow_port: uri.port,
                   use_ssl: uri.scheme == 'https')
  end
  AWS::SimpleWorkflow::Client.new(options)
end

# The activity itself: each word in capitals, with a heartbeat after each one.
def shout(job, heartbeat)
  words = job.fetch('words')
  pause = job.fetch('pause', 0).to_f
  shouted = words.each_with_index.map do |word, index|
    raise TypeError, "word #{index + 1} is #{word.to_json}, not a string" unless word.is_a?(String)

    sleep(pause)
    heartbeat.call({ 'done' => index + 1, 'of' => words.size })
    word.upcase
  end
  { 'worker' => 'ruby', 'words' => shouted, 'letters' => shouted.sum(&:length),
    'heartbeats' => words.size }
end

def run_task(swf, task)
  token = task['taskToken']
  kind = task['activityType']
  call, fields =
    if kind == ACTIVITY
      outcome(swf, task)
    else
      # SWF cannot take a task back: failing it tells the workflow at once.
      [:respond_activity_task_failed,
       { reason: 'UnknownActivityType',
         details: "this worker runs #{ACTIVITY['name']} #{ACTIVITY['version']}, " \
                  "not #{kind['name']} #{kind['version']}" }]
    end
  swf.public_send(call, task_token: token, **fields)
rescue AWS::SimpleWorkflow::Errors::UnknownResourceFault
  # Nobody will take the answer, so there is nothing to do but take the next task.
  warn "activity #{task['activityId']} is no longer open (timed out, canceled, or its " \
       'workflow closed)'
end

# The SWF call that answers the task, with its fields.
def outcome(swf, task)
  heartbeat = lambda do |details|
    status = swf.record_activity_task_heartbeat(
      task_token: task['taskToken'], details: details.to_json[0, MAX_HEARTBEAT_DETAILS]
    )
    raise CancelRequested if status.data['cancelRequested']
  end
  input = task['input']
  result = shout(input.nil? ? nil : JSON.parse(input), heartbeat)
  [:respond_activity_task_completed, { result: result.to_json }]
rescue CancelRequested
  [:respond_activity_task_canceled, { details: 'cancellation requested' }]
rescue StandardError => e
  details = "#{e.class.name}: #{e.message}\n\n#{(e.backtrace || []).join("\n")}"
  [:respond_activity_task_failed,
   { reason: e.class.name[0, MAX_REASON], details: details[0, MAX_DETAILS] }]
end

def main
  swf = swf_client
  domain = ENV['PYFLOW_DOMAIN'] || 'pyflow'
  task_list = ENV['SHOUT_TASK_LIST'] || 'ruby-workers'
  identity = "ruby-#{Socket.gethostname}-#{Process.pid}"[0, 256]
  warn "ruby worker polling task list #{task_list} in domain #{domain}"
  stopping = false
  busy = false
  # SIGTERM and Ctrl-C let the task in hand finish; a poll in progress is simply abandoned.
  %w[TERM INT].each do |signal|
    trap(signal) do
      stopping = true
      exit unless busy
    end
  end
  until stopping
    task = swf.poll_for_activity_task(domain: domain, task_list: { name: task_list },
                                      identity: identity).data
    # An empty poll (no task within the long poll) has no token.
    next unless task['taskToken']

    warn "running #{task['activityId']} of #{task['workflowExecution']['workflowId']}"
    busy = true
    run_task(swf, task)
    busy = false
  end
end

main if $PROGRAM_NAME == __FILE__
